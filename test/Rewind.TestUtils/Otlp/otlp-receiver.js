// An OTLP trace receiver for the tests: OTLP/HTTP with protobuf bodies on one port and, when @grpc/grpc-js is
// installed, OTLP/gRPC on another. Requests are decoded with the OpenTelemetry project's generated code for the official
// opentelemetry-proto definitions (@opentelemetry/otlp-transformer), and written to the file given as the first argument
// as JSON lines: one {"kind":"request"} line per export (protocol, headers), one {"kind":"span"} line per span.
// The first line on stdout is {"http":PORT,"grpc":PORT|null} once both listen on 127.0.0.1.
"use strict";
const fs = require("fs");
const http = require("http");
const root = require("@opentelemetry/otlp-transformer/build/src/generated/root");

const v1 = root.opentelemetry.proto.collector.trace.v1;
const out = process.argv[2];
const hex = (bytes) => Buffer.from(bytes || []).toString("hex");

function value(v) {
  if (!v) return null;
  if (v.stringValue != null) return v.stringValue;
  if (v.boolValue != null) return v.boolValue;
  if (v.intValue != null) return Number(v.intValue);
  if (v.doubleValue != null) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values || []).map(value);
  if (v.kvlistValue) return attributes(v.kvlistValue.values);
  if (v.bytesValue) return hex(v.bytesValue);
  return null;
}

function attributes(list) {
  const result = {};
  for (const kv of list || []) result[kv.key] = value(kv.value);
  return result;
}

function record(request, protocol, headers) {
  const lines = [JSON.stringify({ kind: "request", protocol, headers })];
  for (const rs of request.resourceSpans || []) {
    const resource = attributes(rs.resource && rs.resource.attributes);
    for (const ss of rs.scopeSpans || []) {
      for (const s of ss.spans || []) {
        lines.push(JSON.stringify({
          kind: "span", protocol, resource, scope: ss.scope ? ss.scope.name : null,
          traceId: hex(s.traceId), spanId: hex(s.spanId), parentSpanId: hex(s.parentSpanId),
          name: s.name, spanKind: s.kind, attributes: attributes(s.attributes),
          events: (s.events || []).map((e) => ({ name: e.name, attributes: attributes(e.attributes) })),
          links: (s.links || []).map((l) => ({ traceId: hex(l.traceId), spanId: hex(l.spanId) })),
          status: { code: s.status ? s.status.code || 0 : 0, message: s.status ? s.status.message || "" : "" },
        }));
      }
    }
  }
  fs.appendFileSync(out, lines.join("\n") + "\n");
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.method !== "POST" || req.url !== "/v1/traces" || !(req.headers["content-type"] || "").startsWith("application/x-protobuf")) {
      res.writeHead(404).end();
      return;
    }
    try {
      record(v1.ExportTraceServiceRequest.decode(Buffer.concat(chunks)), "http/protobuf", req.headers);
    } catch (e) {
      res.writeHead(400, { "content-type": "text/plain" }).end(String(e));
      return;
    }
    res.writeHead(200, { "content-type": "application/x-protobuf" }).end(Buffer.from(v1.ExportTraceServiceResponse.encode({}).finish()));
  });
});

function startGrpc(done) {
  let grpc;
  try {
    grpc = require("@grpc/grpc-js");
  } catch {
    done(null);
    return;
  }
  const g = new grpc.Server();
  g.addService({
    Export: {
      path: "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
      requestStream: false,
      responseStream: false,
      requestDeserialize: (b) => v1.ExportTraceServiceRequest.decode(b),
      requestSerialize: (m) => Buffer.from(v1.ExportTraceServiceRequest.encode(m).finish()),
      responseDeserialize: (b) => v1.ExportTraceServiceResponse.decode(b),
      responseSerialize: (m) => Buffer.from(v1.ExportTraceServiceResponse.encode(m).finish()),
    },
  }, {
    Export: (call, callback) => {
      record(call.request, "grpc", call.metadata.getMap());
      callback(null, {});
    },
  });
  g.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => done(err ? null : port));
}

server.listen(0, "127.0.0.1", () => {
  startGrpc((grpcPort) => console.log(JSON.stringify({ http: server.address().port, grpc: grpcPort })));
});
process.on("SIGTERM", () => process.exit(0));
