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
  // The tag of the figures last shown: the server answers 304 with no body while they are unchanged.
  var etag = null;

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
    var headers = { Accept: 'application/json' };
    if (etag) {
      headers['If-None-Match'] = etag;
    }
    // no-store: the page itself compares tags, so a 304 reaches it instead of a copy from the browser's cache.
    fetch('/api/sessions/' + encodeURIComponent(id), { credentials: 'same-origin', cache: 'no-store', headers: headers })
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        etag = response.headers.get('ETag');
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        if (data === null) {
          window.setTimeout(poll, 1500);
          return;
        }
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
