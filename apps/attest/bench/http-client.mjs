// A lean keep-alive HTTP client (node:http): the load generator shares the machine's CPUs
// with the services, so it should cost as little as possible per request (fetch costs more).
import http from "node:http";

const FORM = "application/x-www-form-urlencoded";

export class HttpClient {
  #agent;
  #host;
  #port;

  constructor(baseUrl, maxSockets) {
    const url = new URL(baseUrl);
    this.#host = url.hostname;
    this.#port = Number(url.port);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs a form; resolves `{status, headers, text}`. */
  postForm(path, form, headers = {}) {
    const body = Buffer.from(new URLSearchParams(form).toString());
    return this.#send("POST", path, body, {
      "content-type": FORM,
      "content-length": body.length,
      ...headers,
    });
  }

  /** GETs `path`; resolves `{status, headers, text}`. */
  get(path) {
    return this.#send("GET", path, undefined, {});
  }

  #send(method, path, body, headers) {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent: this.#agent, host: this.#host, port: this.#port, method, path, headers },
        (res) => {
          const chunks = [];
          res.on("data", (chunk) => chunks.push(chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode,
              headers: res.headers,
              text: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  close() {
    this.#agent.destroy();
  }
}
