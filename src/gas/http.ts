// Http over UrlFetchApp.fetchAll. Non-2xx answers come back as responses (muteHttpExceptions); a
// transport failure makes fetchAll throw for the whole batch, and since we cannot know which requests
// went out, every request of that batch is reported as failed for the client to judge.
import type { Http, HttpFailure, HttpRequest, HttpResponse } from '../core/ports';

function lowerCaseHeaders(headers: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return out;
}

function toParams(request: HttpRequest): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  const { 'Content-Type': contentType, ...headers } = request.headers;
  const params: GoogleAppsScript.URL_Fetch.URLFetchRequest = {
    url: request.url,
    method: request.method,
    headers,
    muteHttpExceptions: true,
    followRedirects: true,
  };
  if (request.body !== undefined) {
    params.payload = request.body;
    params.contentType = contentType ?? 'application/json';
  }
  return params;
}

export function urlFetchHttp(): Http {
  return {
    fetchAll(requests: HttpRequest[]): Array<HttpResponse | HttpFailure> {
      if (requests.length === 0) return [];
      let responses: GoogleAppsScript.URL_Fetch.HTTPResponse[];
      try {
        responses = UrlFetchApp.fetchAll(requests.map(toParams));
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        return requests.map(() => ({ status: 0, error }));
      }
      return responses.map((r) => ({
        status: r.getResponseCode(),
        headers: lowerCaseHeaders(r.getHeaders()),
        body: r.getContentText(),
      }));
    },
  };
}
