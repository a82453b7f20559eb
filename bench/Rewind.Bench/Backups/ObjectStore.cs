using System.Diagnostics;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Rewind.Bench.Backups;

/// <summary>
/// A throwaway S3-compatible server (s3rver, installed by bench/run into .artifacts/) on loopback with one bucket, for
/// the restore benchmark's object-storage case; its fixed credentials reach Rewind (and PostgreSQL's archive_command)
/// as the secrets <c>REWIND_BENCH_S3_ACCESS_KEY</c> and <c>REWIND_BENCH_S3_SECRET_KEY</c>.
/// </summary>
internal sealed class ObjectStore : IAsyncDisposable
{
    public const string Bucket = "rewind-bench";
    private const string Key = "S3RVER";
    private readonly Process _server;

    private ObjectStore(Process server, int port)
    {
        _server = server;
        Endpoint = Pg.F($"http://127.0.0.1:{port}");
    }

    public string Endpoint { get; }

    /// <summary>Where s3rver is: bench/run installs it with npm when it is missing.</summary>
    public static string Program(string repository) => Path.Combine(repository, ".artifacts", "s3rver", "node_modules", ".bin", "s3rver");

    /// <summary>The <c>backups.s3</c> block of a config that names this store.</summary>
    public string ConfigBlock => $$$"""{ endpoint: "{{{Endpoint}}}", access-key: "{{secret.REWIND_BENCH_S3_ACCESS_KEY}}", secret-key: "{{secret.REWIND_BENCH_S3_SECRET_KEY}}" }""";

    public static async Task<ObjectStore> StartAsync(string repository, string directory)
    {
        Environment.SetEnvironmentVariable("REWIND_BENCH_S3_ACCESS_KEY", Key);
        Environment.SetEnvironmentVariable("REWIND_BENCH_S3_SECRET_KEY", Key);
        var port = Pg.FreePort();
        // s3rver signs its listing continuation tokens with DES, which OpenSSL 3 only has in its legacy provider.
        var server = Process.Start(new ProcessStartInfo("node", ["--openssl-legacy-provider", Program(repository), "-d", directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start s3rver");
        var store = new ObjectStore(server, port);
        var deadline = Stopwatch.StartNew();
        while (!await ListeningAsync(port))
        {
            if (server.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException("s3rver did not start: " + await server.StandardError.ReadToEndAsync());
            }

            await Task.Delay(100);
        }

        using var client = new AmazonS3Client(new BasicAWSCredentials(Key, Key), new AmazonS3Config { ServiceURL = store.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await client.PutBucketAsync(Bucket);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server.Dispose();
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
