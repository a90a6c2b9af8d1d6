// Serves the demo app for scripts/dev: its three files, and config.json naming latchkey (the issuer) and the client
// scripts/dev registered. Usage: node demo/serve.mjs PORT ISSUER CLIENT_ID
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";

const [port, issuer, clientId] = process.argv.slice(2);
const TYPES = { html: "text/html; charset=utf-8", js: "text/javascript", css: "text/css" };
const FILES = new Set(["index.html", "demo.js", "demo.css"]);

createServer(async (request, response) => {
  const name = new URL(request.url, "http://demo").pathname.slice(1) || "index.html";
  if (name === "config.json") {
    response.writeHead(200, { "Content-Type": "application/json" });
    return response.end(JSON.stringify({ issuer, client_id: clientId }));
  }
  if (!FILES.has(name)) {
    response.writeHead(404, { "Content-Type": "text/plain" });
    return response.end("not found");
  }
  response.writeHead(200, { "Content-Type": TYPES[name.split(".").pop()] });
  response.end(await readFile(new URL(name, import.meta.url)));
}).listen(Number(port), "127.0.0.1");
