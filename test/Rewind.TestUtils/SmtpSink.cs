using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Rewind.TestUtils;

/// <summary>
/// A real SMTP server on loopback: Python's <c>smtpd</c> module (Debian's python3 still ships it) in a child process,
/// writing every message it receives, decoded, as one JSON file. Killed and its directory removed on dispose.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private const string Script = """
        import asyncore, email, email.policy, itertools, json, os, smtpd, sys
        counter = itertools.count(1)
        class Sink(smtpd.SMTPServer):
            def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
                message = email.message_from_bytes(data, policy=email.policy.default)
                record = {"from": mailfrom, "to": rcpttos, "subject": str(message["subject"]),
                          "delivery": str(message["X-Rewind-Delivery"]), "body": message.get_body(("plain",)).get_content()}
                path = os.path.join(sys.argv[2], "%04d.json" % next(counter))
                with open(path + ".tmp", "w", encoding="utf-8") as f:
                    json.dump(record, f)
                os.rename(path + ".tmp", path)
        Sink(("127.0.0.1", int(sys.argv[1])), None, decode_data=False)
        print("ready", flush=True)
        asyncore.loop()
        """;

    private readonly Process _process;

    private SmtpSink(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("rewind-smtp-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-W", "ignore", "-c", Script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), directory })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var sink = new SmtpSink(process, port, directory);
        await Eventually.WaitAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException("the SMTP sink exited: " + await process.StandardError.ReadToEndAsync());
                }

                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(20),
            "the SMTP sink to listen");
        return sink;
    }

    /// <summary>The messages received so far, in order.</summary>
    public IReadOnlyList<JsonElement> Messages() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal).Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.Clone())];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
