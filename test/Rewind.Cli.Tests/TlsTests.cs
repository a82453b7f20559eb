using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Runtime.Samples;
using Rewind.Server;

namespace Rewind.Cli.Tests;

/// <summary>
/// A real controller served over HTTPS with a certificate from a test CA, and the CLI verifying it: with <c>--ca</c> or
/// REWIND_CA it talks, without (the system's trust store) it refuses in one line. Every bad certificate setup is refused by
/// <c>config check</c> and <c>serve</c> at its file:line:column, never with a stack trace.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private static readonly Dictionary<string, string> NoCaVariable = new(StringComparer.Ordinal) { ["REWIND_CA"] = "" };

    private readonly string _root = Directory.CreateTempSubdirectory("rewind-tls-").FullName;
    private readonly TestCertificates _certificates;

    public TlsTests() => _certificates = new TestCertificates(_root);

    [Fact]
    public async Task Status_OverHttps_WithTheCa_Reads_WithoutIt_RefusesInOneLineNamingTheHost()
    {
        _certificates.Issue("server");
        await using var server = await StartAsync("server.pem", "server.key");
        using var other = new TestCertificates(_root, "Another CA");

        var withCa = await CliRun.RunAsync(NoCaVariable, "status", "--server", server.Url, "--ca", _certificates.CaPath);
        var fromVariable = await CliRun.RunAsync(new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_CA"] = _certificates.CaPath }, "status", "--server", server.Url);
        var systemTrust = await CliRun.RunAsync(NoCaVariable, "status", "--server", server.Url);
        var wrongCa = await CliRun.RunAsync(NoCaVariable, "status", "--server", server.Url, "--ca", other.CaPath);
        var notPem = await CliRun.RunAsync(NoCaVariable, "status", "--server", server.Url, "--ca", Path.Combine(_root, "server.key"));

        withCa.ExitCode.ShouldBe(0, withCa.Error);
        withCa.Output.ShouldContain("web");
        fromVariable.ExitCode.ShouldBe(0, fromVariable.Error);
        systemTrust.ExitCode.ShouldBe(3);
        systemTrust.Error.ShouldBe($"error: cannot verify the Rewind server at {server.Url}: its certificate (CN=server, issued by CN=Rewind Test CA) is not trusted by this system; pass --ca FILE (or set REWIND_CA) with the CA that signed it{Environment.NewLine}");
        wrongCa.ExitCode.ShouldBe(3);
        wrongCa.Error.ShouldBe($"error: cannot verify the Rewind server at {server.Url}: its certificate (CN=server, issued by CN=Rewind Test CA) is not signed by the CA in --ca {other.CaPath}{Environment.NewLine}");
        notPem.ExitCode.ShouldBe(2);
        notPem.Error.ShouldBe($"error: --ca {Path.Combine(_root, "server.key")}: not a PEM certificate (no -----BEGIN CERTIFICATE----- block){Environment.NewLine}");
    }

    [Fact]
    public async Task Status_CertificateForAnotherName_IsRefusedAsANameMismatch()
    {
        _certificates.Issue("elsewhere", ["rewind.example"]);
        await using var server = await StartAsync("elsewhere.pem", "elsewhere.key");

        var run = await CliRun.RunAsync(NoCaVariable, "status", "--server", server.Url, "--ca", _certificates.CaPath);

        run.ExitCode.ShouldBe(3);
        run.Error.ShouldBe($"error: cannot verify the Rewind server at {server.Url}: its certificate is not for 127.0.0.1 (it names rewind.example){Environment.NewLine}");
    }

    [Fact]
    public async Task Status_ServerWithAnExpiredCertificate_IsRefusedSayingWhenItExpired()
    {
        var (certificate, key) = _certificates.Issue("expired", validFrom: -10, validDays: 5);
        using var served = X509Certificate2.CreateFromPemFile(certificate, key); // a bare TLS server: the controller itself refuses to start with it
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        var serving = ServeOnceAsync(listener, served);

        var run = await CliRun.RunAsync(NoCaVariable, "status", "--server", url, "--ca", _certificates.CaPath);

        run.ExitCode.ShouldBe(3);
        run.Error.ShouldBe($"error: cannot verify the Rewind server at {url}: its certificate (CN=expired) expired on {Rewind.Core.Configuration.Timestamps.Format(new DateTimeOffset(served.NotAfter.ToUniversalTime()))}{Environment.NewLine}");
        await serving;
        listener.Stop();
    }

    [Fact]
    public async Task Https_SessionCookiesAreSecure_AndHttp2IsNegotiated()
    {
        _certificates.Issue("server");
        await using var server = await StartAsync("server.pem", "server.key");
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_certificates.CaPath));
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck, CustomTrustStore = { ca } };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(server.Url + "/"), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var login = await http.PostAsJsonAsync(new Uri("ui/login", UriKind.Relative), new { token = CliRun.Tokens[server.Url] });

        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        login.Version.ShouldBe(HttpVersion.Version20);
        var cookies = login.Headers.GetValues("Set-Cookie").ToList();
        cookies.Count.ShouldBe(2);
        cookies.ShouldAllBe(c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("https-without-tls", "3:11: server.listen: https:// needs server.tls.certificate and server.tls.key (PEM files)")]
    [InlineData("tls-with-http", "5:5: server.tls: only with an https:// server.listen; this one is http://, so the certificate would not be used")]
    [InlineData("missing-certificate", "5:18: server.tls.certificate: cannot read <root>/missing.pem: Could not find file '<root>/missing.pem'.")]
    [InlineData("certificate-not-pem", "5:18: server.tls.certificate: <root>/server.key is not a PEM certificate (no -----BEGIN CERTIFICATE----- block)")]
    [InlineData("key-not-pem", "6:10: server.tls.key: <root>/server.pem is not a PEM private key (RSA or EC: -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)")]
    [InlineData("key-of-another-certificate", "6:10: server.tls.key: <root>/other.key is not the private key of the certificate in <root>/server.pem (CN=server)")]
    [InlineData("expired", "5:18: server.tls.certificate: CN=expired expired on ")]
    [InlineData("not-yet-valid", "5:18: server.tls.certificate: CN=future is not valid before ")]
    public async Task ConfigCheckAndServe_BadTlsSetup_RefusedAtFileLineColumn_Exit2_NoStackTrace(string setup, string expected)
    {
        _certificates.Issue("server");
        _certificates.Issue("other");
        _certificates.Issue("expired", validFrom: -10, validDays: 5);
        _certificates.Issue("future", validFrom: 2, validDays: 5);
        var (listen, certificate, key) = setup switch
        {
            "https-without-tls" => ("https", null, null),
            "tls-with-http" => ("http", "server.pem", "server.key"),
            "missing-certificate" => ("https", "missing.pem", "server.key"),
            "certificate-not-pem" => ("https", "server.key", "server.key"),
            "key-not-pem" => ("https", "server.pem", "server.pem"),
            "key-of-another-certificate" => ("https", "server.pem", "other.key"),
            "expired" => ("https", "expired.pem", "expired.key"),
            _ => ("https", "future.pem", "future.key"),
        };
        var path = Path.Combine(_root, "rewind.yaml");
        await File.WriteAllTextAsync(path, Config($"{listen}://127.0.0.1:9", certificate, key));

        foreach (var command in new[] { "config check", "serve --config" })
        {
            var run = await CliRun.RunAsync(NoCaVariable, [.. command.Split(' '), path]);

            run.ExitCode.ShouldBe(2, run.Error);
            run.Error.ShouldNotContain("   at ");
            run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Replace(_root, "<root>", StringComparison.Ordinal).ShouldStartWith($"{path}:{expected}".Replace(_root, "<root>", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ConfigCheck_GoodTlsSetup_IsOk()
    {
        _certificates.Issue("server");
        var path = Path.Combine(_root, "rewind.yaml");
        await File.WriteAllTextAsync(path, Config("https://127.0.0.1:9", "server.pem", "server.key"));

        var run = await CliRun.RunAsync("config", "check", path);

        run.ExitCode.ShouldBe(0, run.Error);
    }

    [Fact]
    public async Task Serve_HttpsListenOverride_WithoutTls_IsOneLineAndExit1()
    {
        var path = Path.Combine(_root, "rewind.yaml");
        await File.WriteAllTextAsync(path, Config("http://127.0.0.1:9", null, null));

        var run = await CliRun.RunAsync("serve", "--config", path, "--listen", "https://127.0.0.1:9");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldBe($"error: cannot listen on https://127.0.0.1:9: https:// needs server.tls.certificate and server.tls.key in the config{Environment.NewLine}");
        File.Exists(Path.Combine(_root, "rewind.db")).ShouldBeFalse(); // refused before the store is opened
    }

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static string Config(string listen, string? certificate, string? key) => $$"""
        store: sqlite:rewind.db
        server:
          listen: {{listen}}
        {{(certificate is null ? "" : $"  tls:\n    certificate: {certificate}\n    key: {key}")}}
        components:
          web:
            provider: { release-dir: { path: app, restart: ["true"] } }
            probes: { health: { http: { url: "http://127.0.0.1:9/health" } } }
        """;

    private static async Task ServeOnceAsync(TcpListener listener, X509Certificate2 certificate)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(certificate);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // the client refused the certificate, as it should
        }
    }

    /// <summary>A controller on https://127.0.0.1:PORT with the certificate and key named relative to the config's directory.</summary>
    private async Task<Controller> StartAsync(string certificate, string key)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{SampleRelease.FreeLoopbackPort()}");
        var parsed = ConfigParser.Parse(Config(url, certificate, key), "rewind.yaml", _root);
        parsed.Errors.ShouldBeEmpty();
        var app = await RewindServer.CreateAsync(parsed.Config!, new RewindServerOptions { MinimumLogLevel = LogLevel.Warning });
        CliRun.Tokens[url] = await Rewind.Server.Access.AccessBootstrap.AdminTokenAsync(app.Services, "alice", "test");
        await app.StartAsync();
        return new Controller(url, app);
    }

    private sealed record Controller(string Url, WebApplication App) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
