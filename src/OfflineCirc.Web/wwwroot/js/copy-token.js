// Offers a Copy button for a token just made; without script the field can still be selected and copied.
(function () {
  'use strict';
  var button = document.getElementById('copy-secret');
  var field = document.getElementById('new-secret');
  if (!button || !field || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(field.value).then(function () { button.textContent = 'Copied'; });
  });
  field.addEventListener('focus', function () { field.select(); });
})();
