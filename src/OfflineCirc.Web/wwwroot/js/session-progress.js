// Keeps the session page's progress current while a run is processing; without script the page still works.
(function () {
  'use strict';
  var section = document.getElementById('session-progress');
  if (!section || section.dataset.state !== 'Processing') {
    return;
  }
  var id = section.dataset.sessionId;
  var bar = section.querySelector('progress');
  var field = function (name) { return section.querySelector('[data-field="' + name + '"]'); };
  var hint = section.querySelector('[data-hint="reload"]');
  if (hint) {
    hint.hidden = true;
  }
  var failures = 0;

  function show(data) {
    var done = data.progress ? data.progress.done : 0;
    var total = data.progress ? data.progress.total : 0;
    field('state').textContent = data.state;
    field('done').textContent = String(done);
    field('total').textContent = String(total);
    if (bar) {
      bar.max = Math.max(1, total);
      bar.value = done;
      bar.textContent = done + ' of ' + total;
    }
  }

  function poll() {
    fetch('/api/sessions/' + encodeURIComponent(id), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        show(data);
        if (data.state !== 'Processing') {
          // The run finished: reload once so the counts, chart and buttons reflect the results.
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        failures += 1;
        if (failures > 5) {
          if (hint) {
            hint.hidden = false;
          }
          return;
        }
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 1500);
})();
