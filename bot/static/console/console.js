// Staff console: the canned-reply picker fills the reply box; confirm before risky actions.
document.addEventListener('DOMContentLoaded', () => {
  const picker = document.getElementById('canned');
  const box = document.getElementById('reply-text');
  if (picker && box) {
    picker.addEventListener('change', () => {
      const option = picker.selectedOptions[0];
      if (option && option.dataset.text) { box.value = option.dataset.text; box.focus(); }
    });
  }
  document.querySelectorAll('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
