// Outpost Cloud dashboard: plain JavaScript, no libraries. Every figure comes from the REST API (/api/v1) with
// the token kept in sessionStorage; pages poll the API and redraw.
(function () {
  'use strict';

  var TOKEN_KEY = 'outpost.cloud.token';
  var API = '../api/v1';
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf'];
  var timer = null;

  // A token may come once in the fragment (#token=...): it is moved to sessionStorage and removed from the URL.
  (function takeTokenFromFragment() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  })();

  // ---- DOM helpers (text only: data never becomes markup)
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) { continue; }
      e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function table(headers, rows, id) {
    var t = el('table', id ? { id: id } : null);
    var tr = el('tr');
    headers.forEach(function (h) { tr.appendChild(el('th', { 'class': /^#|Count|Restarts|Exit|Priority|Targeted|Applied|Succeeded|Failed/.test(h) ? 'num' : '' , text: h })); });
    t.appendChild(el('thead', null, tr));
    var tb = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) {
        var td = el('td');
        if (c && typeof c === 'object' && c.nodeType) { td.appendChild(c); } else { td.textContent = c === null || c === undefined ? '' : String(c); }
        if (typeof c === 'number') { td.className = 'num'; }
        row.appendChild(td);
      });
      tb.appendChild(row);
    });
    if (rows.length === 0) {
      tb.appendChild(el('tr', null, el('td', { colspan: String(headers.length), 'class': 'muted', text: 'none' })));
    }
    t.appendChild(tb);
    return t;
  }
  function pill(text, kind) { return el('span', { 'class': 'pill ' + (kind || ''), text: text }); }
  function link(href, text) { return el('a', { href: href, text: text }); }
  function card(label, value, id) {
    return el('div', { 'class': 'card', id: id }, el('div', { 'class': 'label', text: label }), el('div', { 'class': 'value', text: String(value) }));
  }
  function ago(iso) {
    if (!iso) { return 'never'; }
    var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 120) { return s + ' s ago'; }
    if (s < 7200) { return Math.round(s / 60) + ' min ago'; }
    if (s < 172800) { return Math.round(s / 3600) + ' h ago'; }
    return Math.round(s / 86400) + ' d ago';
  }
  function statusKind(s) {
    s = String(s || '').toLowerCase();
    if (s === 'running' || s === 'succeeded' || s === 'connected' || s === 'enabled') { return 'ok'; }
    if (s === 'failed' || s === 'backoff' || s === 'unhealthy' || s === 'disabled') { return 'bad'; }
    if (s === 'pending' || s === 'stopped' || s === 'targeted') { return 'warn'; }
    return '';
  }
  function devLink(id) { return link('./?device=' + encodeURIComponent(id), id); }
  function depLink(id) { return link('./?deployment=' + encodeURIComponent(id), id); }

  // ---- API
  function api(path) {
    var token = sessionStorage.getItem(TOKEN_KEY);
    return fetch(API + path, { headers: { 'Authorization': 'Bearer ' + token, 'Accept': 'application/json' } })
      .then(function (r) {
        if (r.status === 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          throw { login: true, message: 'the token was refused' };
        }
        return r.json().then(function (body) {
          if (!r.ok) { throw { message: (body.error && body.error.message) || ('HTTP ' + r.status) }; }
          return body;
        });
      });
  }

  function render(nodes) {
    var main = document.getElementById('main');
    main.replaceChildren.apply(main, nodes);
    document.getElementById('updated').textContent = 'Updated ' + new Date().toLocaleTimeString();
    document.getElementById('problem').textContent = '';
  }

  function failed(e) {
    if (e && e.login) { showLogin(e.message); return; }
    document.getElementById('problem').textContent = 'Refresh failed: ' + ((e && e.message) || e);
  }

  function showLogin(reason) {
    if (timer) { clearInterval(timer); timer = null; }
    var input = el('input', { type: 'password', id: 'token', placeholder: 'id.secret', autocomplete: 'off' });
    var form = el('form', { 'class': 'login' },
      el('h1', { text: 'Sign in with an API token' }),
      el('p', { 'class': 'muted', text: 'A read token shows everything; the token stays in this browser tab only (sessionStorage). '
        + 'The first admin token is in etc/outpost-cloud.token of the cloud; cloud:token-create --scope read issues more.' }),
      reason ? el('p', { 'class': 'bad', text: reason }) : null,
      input, el('button', { type: 'submit', text: 'Use token' }));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      start();
    });
    render([form]);
    document.getElementById('who').replaceChildren();
  }

  function who() {
    var out = el('button', { type: 'button', text: 'Sign out' });
    out.addEventListener('click', function () { sessionStorage.removeItem(TOKEN_KEY); showLogin(); });
    var t = sessionStorage.getItem(TOKEN_KEY) || '';
    document.getElementById('who').replaceChildren(document.createTextNode('token ' + t.split('.')[0]), out);
  }

  // ---- pages
  function fleetPage() {
    return Promise.all([api('/summary'), api('/devices')]).then(function (r) {
      var s = r[0], devices = r[1];
      render([
        el('h1', { text: 'Fleet' }),
        el('div', { 'class': 'cards' },
          card('Devices', s.devices.total, 'card-devices'),
          card('Connected now', s.devices.connected, 'card-connected'),
          card('Deployments', s.deployments.length, 'card-deployments')),
        el('h2', { text: 'Deployments' }),
        deploymentsTable(s.deployments, 'fleet-deployments'),
        el('h2', { text: 'Devices' }),
        table(['Device', 'Status', 'Connection', 'Last activity', 'Tags'], devices.map(function (d) {
          return [devLink(d.deviceId), pill(d.status, statusKind(d.status)), pill(d.connectionState, statusKind(d.connectionState)),
            ago(d.lastActivityTime), el('code', { text: JSON.stringify(d.tags) })];
        }), 'fleet-devices')
      ]);
    });
  }

  function deploymentsTable(list, id) {
    return table(['Deployment', 'Target condition', 'Priority', 'Layered', 'Targeted', 'Applied', 'Succeeded', 'Failed'],
      list.map(function (d) {
        var m = d.metrics;
        return [depLink(d.id), el('code', { text: d.targetCondition }), d.priority, d.layered ? 'yes' : 'no',
          m.targetedCount, m.appliedCount, m.reportedSuccessfulCount, m.reportedFailedCount];
      }), id);
  }

  function deploymentsPage() {
    return api('/deployments').then(function (list) {
      render([el('h1', { text: 'Deployments' }), deploymentsTable(list, 'deployments')]);
    });
  }

  function deploymentPage(id) {
    return api('/deployments/' + encodeURIComponent(id)).then(function (d) {
      var m = d.metrics;
      var labels = Object.keys(d.labels).map(function (k) { return k + '=' + d.labels[k]; }).join(', ');
      render([
        el('h1', { text: 'Deployment ' + d.id }),
        table(['Target condition', 'Priority', 'Layered', 'Labels', 'Created'],
          [[el('code', { id: 'target-condition', text: d.targetCondition }), d.priority, d.layered ? 'yes' : 'no', labels, d.createdTimeUtc]]),
        el('div', { 'class': 'cards' },
          card('Targeted', m.targetedCount, 'card-targeted'), card('Applied', m.appliedCount, 'card-applied'),
          card('Reported successful', m.reportedSuccessfulCount, 'card-succeeded'),
          card('Reported failed', m.reportedFailedCount, 'card-failed')),
        el('h2', { text: 'Devices' }),
        table(['Device', 'Status', 'Detail'], d.devices.map(function (s) {
          return [devLink(s.deviceId), pill(s.status, statusKind(s.status)), s.detail];
        }), 'deployment-devices'),
        el('h2', { text: 'Content (modulesContent)' }),
        el('pre', { text: JSON.stringify(d.content.modulesContent, null, 2) })
      ]);
    });
  }

  // The modules of a device as $edgeAgent sees them: desired from its desired properties, runtime from its
  // reported properties (runtimeStatus, restartCount, exitCode, ...).
  function moduleRows(agent) {
    var desired = (agent && agent.properties.desired) || {};
    var reported = (agent && agent.properties.reported) || {};
    var names = {};
    [desired.systemModules, desired.modules, reported.systemModules, reported.modules].forEach(function (o) {
      Object.keys(o || {}).forEach(function (n) { names[n] = true; });
    });
    function pick(kind, n) {
      var r = (reported.systemModules || {})[n] || (reported.modules || {})[n] || {};
      var d = (desired.systemModules || {})[n] || (desired.modules || {})[n] || {};
      return kind === 'r' ? r : d;
    }
    return Object.keys(names).sort().map(function (n) {
      var d = pick('d', n), r = pick('r', n);
      var desiredStatus = d.status || (d.type ? 'running' : '');
      return [n, desiredStatus, r.runtimeStatus ? pill(r.runtimeStatus, statusKind(r.runtimeStatus)) : el('span', { 'class': 'muted', text: 'not reported' }),
        r.restartCount === undefined ? '' : Number(r.restartCount), r.exitCode === undefined ? '' : Number(r.exitCode),
        r.statusDescription || '', r.lastStartTimeUtc ? ago(r.lastStartTimeUtc) : '', (d.settings && d.settings.image) || ''];
    });
  }

  function numericSeries(messages) {
    var series = {};
    messages.slice().reverse().forEach(function (m) {
      if (m.bodyEncoding !== 'json' || typeof m.body !== 'object' || m.body === null) { return; }
      var t = Date.parse(m.enqueuedTime);
      (function walk(o, prefix) {
        Object.keys(o).forEach(function (k) {
          var v = o[k], name = prefix + k;
          if (typeof v === 'number' && isFinite(v)) { (series[name] = series[name] || []).push([t, v]); }
          else if (v && typeof v === 'object' && !Array.isArray(v) && prefix.split('.').length < 3) { walk(v, name + '.'); }
        });
      })(m.body, '');
    });
    return Object.keys(series).sort().slice(0, COLORS.length).map(function (k) { return { name: k, points: series[k] }; });
  }

  function chart(messages) {
    var W = 1000, H = 260, L = 56, R = 12, T = 12, B = 28;
    var series = numericSeries(messages);
    var s = svg('svg', { 'class': 'chart', id: 'telemetry-chart', viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', role: 'img' });
    var pts = [].concat.apply([], series.map(function (x) { return x.points; }));
    if (pts.length === 0) {
      var t = svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' });
      t.textContent = 'no numeric telemetry yet';
      s.appendChild(t);
      return { svg: s, legend: el('div', { 'class': 'legend' }) };
    }
    var x0 = Math.min.apply(null, pts.map(function (p) { return p[0]; })), x1 = Math.max.apply(null, pts.map(function (p) { return p[0]; }));
    var y0 = Math.min.apply(null, pts.map(function (p) { return p[1]; })), y1 = Math.max.apply(null, pts.map(function (p) { return p[1]; }));
    if (x1 === x0) { x1 = x0 + 1000; }
    if (y1 === y0) { y1 = y0 + 1; y0 = y0 - 1; }
    function sx(x) { return L + (x - x0) / (x1 - x0) * (W - L - R); }
    function sy(y) { return H - B - (y - y0) / (y1 - y0) * (H - T - B); }
    s.appendChild(svg('line', { 'class': 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }));
    s.appendChild(svg('line', { 'class': 'axis', x1: L, y1: T, x2: L, y2: H - B }));
    [[y1, sy(y1) + 4], [y0, sy(y0)]].forEach(function (a) {
      var t = svg('text', { x: L - 6, y: a[1], 'text-anchor': 'end' });
      t.textContent = Number(a[0].toPrecision(4));
      s.appendChild(t);
    });
    [[x0, 'start', L], [x1, 'end', W - R]].forEach(function (a) {
      var t = svg('text', { x: a[2], y: H - 8, 'text-anchor': a[1] });
      t.textContent = new Date(a[0]).toLocaleTimeString();
      s.appendChild(t);
    });
    var legend = el('div', { 'class': 'legend', id: 'telemetry-legend' });
    series.forEach(function (ser, i) {
      var d = ser.points.map(function (p, j) { return (j ? 'L' : 'M') + sx(p[0]).toFixed(1) + ' ' + sy(p[1]).toFixed(1); }).join(' ');
      s.appendChild(svg('path', { d: d, fill: 'none', stroke: COLORS[i], 'stroke-width': 2, 'vector-effect': 'non-scaling-stroke', 'data-series': ser.name }));
      var sw = el('i');
      sw.style.background = COLORS[i];
      legend.appendChild(el('span', null, sw, ser.name + ' (' + ser.points.length + ')'));
    });
    return { svg: s, legend: legend };
  }

  function c2dSection(q) {
    if (q.unavailable) { return el('p', { 'class': 'muted', id: 'c2d-counts', text: 'Not available: ' + q.unavailable }); }
    var counts = el('p', { 'class': 'muted', id: 'c2d-counts', text: ['queued', 'delivered', 'expired', 'purged']
      .map(function (k) { return k + ' ' + q.counts[k]; }).join(', ') + ' (finished messages are kept 48 h)' });
    var rows = q.messages.slice().reverse().slice(0, 50).map(function (m) {
      return [m.messageId, pill(m.state, m.state === 'delivered' ? 'ok' : m.state === 'queued' ? 'warn' : 'bad'),
        m.enqueuedTimeUtc, m.expiryTimeUtc, m.deliveryCount, m.bodyBytes];
    });
    return el('div', null, counts, table(['Message id', 'State', 'Enqueued', 'Expires', 'Deliveries', 'Bytes'], rows, 'device-c2d'));
  }

  function devicePage(id) {
    var p = '/devices/' + encodeURIComponent(id);
    return Promise.all([api(p), api(p + '/twin'), api(p + '/modules'), api(p + '/configuration'), api(p + '/telemetry?limit=200'),
        api(p + '/messages').catch(function (e) { if (e && e.login) { throw e; } return { unavailable: e.message }; })])
      .then(function (r) {
        var d = r[0], twin = r[1], modules = r[2], config = r[3], telemetry = r[4], c2d = r[5];
        var agentEntry = modules.filter(function (m) { return m.moduleId === '$edgeAgent'; })[0];
        var agent = agentEntry && agentEntry.twin;
        var reported = agent ? agent.properties.reported : {};
        var lds = reported.lastDesiredStatus || {};
        var c = chart(telemetry);
        render([
          el('h1', { text: 'Device ' + d.deviceId }),
          table(['Status', 'Connection', 'Last activity', 'Authentication', 'Base deployment', 'Layers', 'Tags'],
            [[pill(d.status, statusKind(d.status)), pill(d.connectionState, statusKind(d.connectionState)), ago(d.lastActivityTime),
              d.authentication.type, config.base ? depLink(config.base) : 'none', config.layers.join(', '),
              el('code', { text: JSON.stringify(d.tags) })]], 'device-summary'),
          el('h2', { text: 'Modules' }),
          el('p', { 'class': 'muted', id: 'agent-status', text: agent
            ? 'Desired version ' + agent.properties.desired.$version + ', reported lastDesiredVersion ' + (reported.lastDesiredVersion === undefined ? '-' : reported.lastDesiredVersion)
              + ', status ' + (lds.code === undefined ? '-' : lds.code) + (lds.description ? ' (' + lds.description + ')' : '')
            : 'No $edgeAgent twin yet: no deployment applies to this device.' }),
          table(['Module', 'Desired', 'Runtime', 'Restarts', 'Exit code', 'Description', 'Started', 'Image'], moduleRows(agent), 'device-modules'),
          el('h2', { text: 'Telemetry (newest ' + telemetry.length + ' messages, refreshed every 5 s)' }),
          c.svg, c.legend,
          el('h2', { text: 'Cloud-to-device queue' }),
          c2dSection(c2d),
          el('div', { 'class': 'grid' },
            el('div', null, el('h2', { text: 'Reported properties (device twin)' }), el('pre', { id: 'device-reported', text: JSON.stringify(twin.properties.reported, null, 2) })),
            el('div', null, el('h2', { text: 'Reported by $edgeAgent' }), el('pre', { id: 'agent-reported', text: JSON.stringify(reported, null, 2) })))
        ]);
      });
  }

  function route() {
    var q = new URLSearchParams(location.search);
    document.getElementById('nav-fleet').className = '';
    document.getElementById('nav-deployments').className = '';
    if (q.get('device')) { return { load: function () { return devicePage(q.get('device')); }, every: 5000 }; }
    if (q.get('deployment')) {
      document.getElementById('nav-deployments').className = 'active';
      return { load: function () { return deploymentPage(q.get('deployment')); }, every: 10000 };
    }
    if (q.get('page') === 'deployments') {
      document.getElementById('nav-deployments').className = 'active';
      return { load: deploymentsPage, every: 10000 };
    }
    document.getElementById('nav-fleet').className = 'active';
    return { load: fleetPage, every: 10000 };
  }

  function start() {
    if (!sessionStorage.getItem(TOKEN_KEY)) { showLogin(); return; }
    who();
    var page = route();
    page.load().catch(failed);
    if (timer) { clearInterval(timer); }
    timer = setInterval(function () { page.load().catch(failed); }, page.every);
  }

  start();
})();
