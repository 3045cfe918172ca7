// The access-token page's Copy button: shown only where the clipboard can be written.
(() => {
  const button = document.getElementById('copy-secret');
  const field = document.getElementById('new-secret');
  if (!button || !field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    await navigator.clipboard.writeText(field.value);
    button.textContent = 'Copied';
  });
  field.addEventListener('focus', () => field.select());
})();
