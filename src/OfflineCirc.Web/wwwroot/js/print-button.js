// Shows the worklist's Print button only where script runs; the browser's own print works without it.
(function () {
  'use strict';
  var button = document.getElementById('print-worklist');
  if (!button) {
    return;
  }
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
})();
