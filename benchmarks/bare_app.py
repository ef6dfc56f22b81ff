"""The baseline: a bare Flask endpoint that reads the body and answers "success"."""
from flask import Flask, request

app = Flask(__name__)


@app.post("/wechat")
def bare():
    request.get_data()
    return "success"
