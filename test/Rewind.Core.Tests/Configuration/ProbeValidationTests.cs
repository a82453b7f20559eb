using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class ProbeValidationTests
{
    [Fact]
    public void Parse_PostgresAndCertificateKeys_Bind()
    {
        var result = ConfigParser.Parse(Component("""
                  db:
                    postgres: { url: "postgres://app:s3cret@db.internal:5433/orders", query: "select count(*) from pg_stat_replication", expect: "2" }
                  site:
                    http: { url: "https://example.com/", min-cert-days: 14, insecure-skip-verify: true }
            """), "r.yaml", "/");

        result.Errors.ShouldBeEmpty();
        var probes = result.Config!.Components["web"].Probes;
        probes["db"].Postgres!.Query.ShouldBe("select count(*) from pg_stat_replication");
        probes["db"].Postgres!.Expect.ShouldBe("2");
        probes["site"].Http!.MinCertDays.ShouldBe(14);
        probes["site"].Http!.InsecureSkipVerify.ShouldBeTrue();
    }

    [Fact]
    public void Parse_PostgresDefaults_SelectOneWithoutExpectation()
    {
        var result = ConfigParser.Parse(Component("""
                  db: { postgres: { url: "postgres://app@db/orders" } }
            """), "r.yaml", "/");

        result.Errors.ShouldBeEmpty();
        var postgres = result.Config!.Components["web"].Probes["db"].Postgres!;
        (postgres.Query, postgres.Expect).ShouldBe(("select 1", null));
    }

    [Fact]
    public void Parse_BadProbeKeys_AreReportedAtTheirValues()
    {
        var result = ConfigParser.Parse(Component("""
                  both:
                    http: { url: "http://127.0.0.1/health" }
                    postgres: { url: "postgres://app@db/orders" }
                  db:
                    postgres: { url: "mysql://app@db/orders", query: "" }
                  plain:
                    http: { url: "http://127.0.0.1/health", min-cert-days: 14 }
                  zero:
                    http: { url: "https://127.0.0.1/health", min-cert-days: 0 }
            """), "r.yaml", "/");

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "r.yaml:8:9: components.web.probes.both: declare exactly one kind: http, tcp, command or postgres",
            "r.yaml:11:26: components.web.probes.db.postgres.url: expected postgres://user:password@host:port/database",
            "r.yaml:11:58: components.web.probes.db.postgres.query: must not be empty; leave it out for select 1",
            "r.yaml:13:64: components.web.probes.plain.http.min-cert-days: only for https:// URLs; http:// has no certificate",
            "r.yaml:15:65: components.web.probes.zero.http.min-cert-days: at least 1",
        ]);
    }

    private static string Component(string probes) => $"""
        components:
          web:
            provider:
              release-dir: {"{"} path: /srv/web {"}"}
            bake-time: 1m
            probes:
        {probes}
        """;
}
