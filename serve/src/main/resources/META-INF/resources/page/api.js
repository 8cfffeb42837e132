// The page's only way to the server: JSON GETs and the event stream, with the token when there is one.
//
// The token: open the page with #token=<LO_SERVE_TOKEN> after its address. A fragment is never sent to the
// server and never appears in a Referer; the page keeps it in this tab's sessionStorage, takes it out of
// the address bar, and sends it as "Authorization: Bearer <token>" with every request. EventSource cannot
// send that header, so the stream is read with fetch.

const TOKEN_KEY = 'lo.serve.token';

function readToken() {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (match) {
    try {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    } catch (e) {
      // storage off: the token lives as long as this page
      window.loToken = decodeURIComponent(match[1]);
    }
    history.replaceState(null, '', location.pathname + location.search);
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) || window.loToken || null;
  } catch (e) {
    return window.loToken || null;
  }
}

const token = readToken();

function headers(extra) {
  const h = Object.assign({Accept: 'application/json'}, extra);
  if (token) h.Authorization = 'Bearer ' + token;
  return h;
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** GET a JSON answer; a problem becomes an ApiError carrying its detail. */
export async function get(path, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') query.set(k, v);
  }
  const url = query.toString() ? path + '?' + query : path;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30000);
  let response;
  try {
    response = await fetch(url, {headers: headers(), cache: 'no-store', signal: controller.signal});
  } catch (e) {
    throw new ApiError(0, url + ': ' + (e.name === 'AbortError' ? 'no answer within 30 s' : e.message));
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    let detail = response.status + ' ' + response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch (e) {
      // not a problem document
    }
    if (response.status === 401) detail += ' — open the page as /#token=<LO_SERVE_TOKEN>';
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

/**
 * Follows /api/events/stream from a position: calls onEvent(event) for each appended event and
 * onState('live' | 'connecting' | 'down', text) as the connection changes. Reconnects after a pause
 * (1 s, doubling up to 30 s) with Last-Event-ID, as a browser's EventSource would. onGap() is called
 * when the server cannot replay from where the page stopped (it was away too long): reload then.
 */
export function follow(after, onEvent, onState, onGap) {
  let last = after;
  let pause = 1000;

  async function connect() {
    onState('connecting', 'connecting to the event stream…');
    try {
      const response = await fetch('/api/events/stream', {
        headers: headers({Accept: 'text/event-stream', 'Last-Event-ID': String(last)}),
        cache: 'no-store',
      });
      if (response.status === 400) {
        onGap();
        return;
      }
      if (!response.ok || !response.body) throw new Error(response.status + ' ' + response.statusText);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let frame = {data: []};
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffer += value;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (frame.data.length) {
              const event = JSON.parse(frame.data.join('\n'));
              if (frame.id !== undefined) last = Number(frame.id);
              onEvent(event);
            }
            frame = {data: []};
          } else if (line.startsWith(':')) {
            pause = 1000;
            onState('live', 'live: following the log');
          } else {
            const colon = line.indexOf(':');
            const name = colon < 0 ? line : line.slice(0, colon);
            const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (name === 'data') frame.data.push(val);
            else if (name === 'id') frame.id = val;
            else if (name === 'event') frame.event = val;
          }
        }
      }
      onState('down', 'the event stream closed; reconnecting…');
    } catch (e) {
      onState('down', 'event stream: ' + e.message + '; reconnecting…');
    }
    setTimeout(connect, pause);
    pause = Math.min(pause * 2, 30000);
  }

  connect();
}
