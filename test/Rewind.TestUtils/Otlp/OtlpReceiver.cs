using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Shouldly;

namespace Rewind.TestUtils.Otlp;

/// <summary>
/// A real OTLP trace receiver of a test's own: <c>otlp-receiver.js</c> beside this file, run by Node.js on the official
/// protocol definitions that ./test.sh installs from npm into <c>.artifacts/otlp-receiver</c>. It takes OTLP/HTTP
/// (protobuf) and OTLP/gRPC on loopback ports of its own and writes what it got as JSON lines. Disposing stops it.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    /// <summary>Where ./test.sh installs the receiver's npm packages.</summary>
    public static string Packages => Path.Combine(Repository.Root, ".artifacts", "otlp-receiver", "node_modules");

    private readonly Process _process;
    private readonly string _directory;

    private OtlpReceiver(Process process, string directory, int httpPort, int? grpcPort)
    {
        _process = process;
        _directory = directory;
        HttpEndpoint = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}");
        GrpcEndpoint = grpcPort is { } port ? string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}") : null;
    }

    /// <summary>The OTLP/HTTP base URL (exports go to <c>/v1/traces</c> under it).</summary>
    public string HttpEndpoint { get; }

    /// <summary>The OTLP/gRPC URL; null when @grpc/grpc-js is not installed.</summary>
    public string? GrpcEndpoint { get; }

    private string Output => Path.Combine(_directory, "received.jsonl");

    public static async Task<OtlpReceiver> StartAsync()
    {
        Directory.Exists(Path.Combine(Packages, "@opentelemetry", "otlp-transformer")).ShouldBeTrue($"the OTLP receiver's packages are missing from {Packages} (./test.sh installs them from npm)");
        var directory = Directory.CreateTempSubdirectory("rewind-test-otlp-").FullName;
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(Repository.Root, "test", "Rewind.TestUtils", "Otlp", "otlp-receiver.js"), Path.Combine(directory, "received.jsonl") },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NODE_PATH"] = Packages },
        };
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await process.StandardOutput.ReadLineAsync(limit.Token);
        if (first is null)
        {
            process.Dispose();
            throw new ShouldAssertException("the OTLP receiver exited before it listened");
        }

        using var ports = JsonDocument.Parse(first);
        var grpc = ports.RootElement.GetProperty("grpc");
        return new OtlpReceiver(process, directory, ports.RootElement.GetProperty("http").GetInt32(), grpc.ValueKind == JsonValueKind.Number ? grpc.GetInt32() : null);
    }

    /// <summary>Every line received so far: <c>kind</c> <c>request</c> (protocol, headers) or <c>span</c>.</summary>
    public IReadOnlyList<JsonElement> Received()
    {
        if (!File.Exists(Output))
        {
            return [];
        }

        using var stream = new FileStream(Output, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text[..(text.LastIndexOf('\n') + 1)]; // a line still being written is read next time
        return [.. complete.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    /// <summary>The spans received so far.</summary>
    public IReadOnlyList<JsonElement> Spans() => [.. Received().Where(r => r.GetProperty("kind").GetString() == "span")];

    /// <summary>The raw text of every span received: what a secret must never be found in.</summary>
    public string SpanText() => string.Join("\n", Spans().Select(s => s.GetRawText()));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
