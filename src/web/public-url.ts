// The public address of this server, for every link vigie writes (double opt-in links, one-click
// unsubscribe headers): `vigie serve --public-url` or VIGIE_PUBLIC_URL. Never the request's Host
// header, which the client chooses: `Host: evil.example` would send a person a link to another site.

/** The address, checked and ending in `/` (a prefix path is kept: https://example.fr/vigie/). */
export function publicBase(text: string): string | { readonly error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: "not a URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { error: "expected an http(s) URL" };
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return { error: "expected no query, fragment or credentials" };
  }
  return url.pathname.endsWith("/") ? url.href : `${url.href}/`;
}

/** `path` (`c/TOKEN`, `u/TOKEN`) under the base. */
export const publicLink = (base: string, path: string): string =>
  new URL(path.replace(/^\/+/, ""), base.endsWith("/") ? base : `${base}/`).href;

export const NO_PUBLIC_URL =
  "this server has no public address for links: start it with vigie serve --public-url https://… " +
  "(or VIGIE_PUBLIC_URL), or send baseUrl";
