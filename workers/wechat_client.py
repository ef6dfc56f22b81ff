"""The one client for every outbound WeChat API call.

wechatpy's WeChatClient with: the base URL from WECHAT_API_BASE (token request
included: wechatpy 1.8.18 hard-codes the real token URL), the access token
cached in Redis and refreshed under a Redis lock so that many processes fetch it
once, one refresh-and-retry on 40001/42001/40014 (wechatpy's own auto_retry is
unbounded), timeouts, and typed errors that jobs turn into RQ retries.
"""
from __future__ import annotations

import logging

import redis
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

log = logging.getLogger(__name__)

TOKEN_ERRORS = {40001, 40014, 42001}
TRANSIENT_ERRORS = {-1, 45009, 45011}  # system busy, daily quota, rate limit: back off and retry
TOKEN_MARGIN = 300  # refresh five minutes before WeChat's expiry


class WeChatError(Exception):
    """A WeChat API call failed. ``transient`` errors are worth retrying later."""

    transient = False

    def __init__(self, errcode: int | None, errmsg: str = ""):
        super().__init__(f"WeChat error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class TransientWeChatError(WeChatError):
    transient = True


class PermanentWeChatError(WeChatError):
    pass


class Client(WeChatClient):
    """WeChatClient with a shared Redis token cache and bounded, typed failures."""

    def __init__(self, app_id: str, secret: str, api_base: str, store: redis.Redis, timeout: float = 5.0):
        super().__init__(app_id, secret, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = api_base if api_base.endswith("/") else api_base + "/"
        self.store = store
        self.token_key = f"ud:wechat:token:{app_id}"

    # -- access token -------------------------------------------------------
    @property
    def access_token(self) -> str:
        token = self.store.get(self.token_key)
        return token.decode() if token else self.refresh_token()

    def refresh_token(self, stale: str | None = None) -> str:
        """Fetch a new token unless another process already did (``stale`` is the one that failed)."""
        with self.store.lock(f"{self.token_key}:lock", timeout=30, blocking_timeout=30):
            cached = self.store.get(self.token_key)
            if cached and cached.decode() != stale:
                return cached.decode()
            result = self.fetch_access_token()
            token = result["access_token"]
            ttl = max(int(result.get("expires_in", 7200)) - TOKEN_MARGIN, 60)
            self.store.set(self.token_key, token, ex=ttl)
            log.info("fetched a new WeChat access token (valid %s s)", ttl)
            return token

    def fetch_access_token(self) -> dict:
        try:
            res = self._http.get(self.API_BASE_URL + "token", timeout=self.timeout, params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})
        except requests.RequestException as exc:
            raise TransientWeChatError(None, f"token request failed: {type(exc).__name__}") from None
        if res.status_code >= 500:
            raise TransientWeChatError(None, f"token request HTTP {res.status_code}")
        try:
            result = res.json()
        except ValueError:
            raise TransientWeChatError(None, f"token response not JSON (HTTP {res.status_code})") from None
        if result.get("errcode"):
            raise typed_error(int(result["errcode"]), result.get("errmsg", ""))
        return result

    # -- every API call goes through here ----------------------------------
    def _request(self, method, url_or_endpoint, **kwargs):
        kwargs["api_base_url"] = self.API_BASE_URL  # API classes may name the real host
        params = kwargs.get("params")
        params = dict(params) if isinstance(params, dict) else {}
        token = params.get("access_token") or self.access_token
        params["access_token"] = token
        kwargs["params"] = params
        try:
            return self._call(method, url_or_endpoint, **kwargs)
        except WeChatError as exc:
            if exc.errcode not in TOKEN_ERRORS:
                raise
            log.info("access token rejected (%s); refreshing once", exc.errcode)
            kwargs["params"] = {**params, "access_token": self.refresh_token(stale=token)}
            return self._call(method, url_or_endpoint, **kwargs)

    def _call(self, method, url_or_endpoint, **kwargs):
        try:
            return super()._request(method, url_or_endpoint, **kwargs)
        except WeChatClientException as exc:
            if exc.errcode is None:  # an HTTP error status
                status = getattr(exc.response, "status_code", None)
                raise TransientWeChatError(None, f"HTTP {status}") from None
            raise typed_error(int(exc.errcode), str(exc.errmsg)) from None
        except requests.RequestException as exc:
            raise TransientWeChatError(None, f"network: {type(exc).__name__}") from None


def typed_error(errcode: int, errmsg: str) -> WeChatError:
    cls = TransientWeChatError if errcode in TRANSIENT_ERRORS else PermanentWeChatError
    return cls(errcode, errmsg)


def for_context(ctx) -> Client:
    """The client for a workers.context.Context."""
    cfg = ctx.config
    return Client(cfg.wechat_app_id, cfg.wechat_app_secret, cfg.wechat_api_base, ctx.redis, cfg.wechat_timeout)
