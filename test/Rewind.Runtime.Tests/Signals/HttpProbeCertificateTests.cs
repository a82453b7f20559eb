using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Core.Configuration;
using Rewind.Runtime.Signals;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Signals;

/// <summary>HTTPS probes against a real Kestrel server on loopback with self-signed certificates made here.</summary>
public sealed class HttpProbeCertificateTests
{
    private readonly HttpProbe _probe = new();

    [Fact]
    public async Task RunAsync_CertificateValidLongerThanTheMinimum_Passes()
    {
        await using var server = await StartAsync(TimeSpan.FromDays(30));

        var sample = await _probe.RunAsync("web", "tls", Probe(server.BaseUrl, minCertDays: 14, skipVerify: true));

        sample.Success.ShouldBeTrue(sample.Error);
    }

    [Fact]
    public async Task RunAsync_CertificateExpiringSoonerThanTheMinimum_FailsWithDaysAndDate()
    {
        await using var server = await StartAsync(TimeSpan.FromDays(2));

        var sample = await _probe.RunAsync("web", "tls", Probe(server.BaseUrl, minCertDays: 14, skipVerify: true));

        sample.Success.ShouldBeFalse();
        sample.Error.ShouldStartWith("certificate for CN=localhost expires in 2.0 days (");
        sample.Error.ShouldMatch(@"\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\), minimum 14$");
    }

    [Fact]
    public async Task RunAsync_SelfSignedWithoutSkipVerify_FailsAsUntrusted()
    {
        await using var server = await StartAsync(TimeSpan.FromDays(30));

        var sample = await _probe.RunAsync("web", "tls", Probe(server.BaseUrl, minCertDays: 14, skipVerify: false));

        (sample.Success, sample.Error).ShouldBe((false, "certificate for CN=localhost not trusted: untrusted root (self-signed?)"));
    }

    [Fact]
    public async Task RunAsync_SelfSignedOnThePlainClient_FailsTheTlsHandshake()
    {
        await using var server = await StartAsync(TimeSpan.FromDays(30));

        var sample = await _probe.RunAsync("web", "tls", Probe(server.BaseUrl, minCertDays: null, skipVerify: false));

        sample.Success.ShouldBeFalse();
        sample.Error.ShouldStartWith("TLS failed: ");
    }

    [Fact]
    public async Task RunAsync_SkipVerifyAlone_PassesOnASelfSignedCertificate()
    {
        await using var server = await StartAsync(TimeSpan.FromDays(2));

        var sample = await _probe.RunAsync("web", "tls", Probe(server.BaseUrl, minCertDays: null, skipVerify: true));

        sample.Success.ShouldBeTrue(sample.Error);
    }

    private static async Task<LoopbackApp> StartAsync(TimeSpan validFor)
    {
        using var certificate = SelfSigned(validFor);
        return await LoopbackApp.StartAsync(app => app.MapGet("/health", () => Results.Text("ok")), X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null));
    }

    /// <summary>CN=localhost for 127.0.0.1 and localhost, valid from a day ago for <paramref name="validFor"/> from now.</summary>
    private static X509Certificate2 SelfSigned(TimeSpan validFor)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.Add(validFor));
    }

    private static ProbeConfig Probe(string baseUrl, int? minCertDays, bool skipVerify) => new()
    {
        Http = new HttpProbeConfig { Url = baseUrl + "/health", MinCertDays = minCertDays, InsecureSkipVerify = skipVerify },
        Interval = TimeSpan.FromSeconds(10),
        Timeout = TimeSpan.FromSeconds(5),
    };
}
