using Rewind.Core.Configuration;
using Shouldly;
using Xunit;

namespace Rewind.Core.Tests.Configuration;

/// <summary>A backup repository in object storage in the config: what binds, and every mistake at its position.</summary>
public sealed class ObjectStorageConfigTests
{
    [Fact]
    public void Parse_S3RepositoryWithSecretCredentials_BindsAndKeepsTheLocationAsWritten()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups:
                  repository: s3://rewind-backups/prod/db
                  s3:
                    endpoint: http://minio.internal:9000
                    access-key: "{{secret.S3_ACCESS_KEY}}"
                    secret-key: "{{secret.S3_SECRET_KEY}}"
                    work-directory: work
                  files: { paths: [/srv/uploads] }
            """,
            "rewind.yaml",
            "/srv/config");

        result.Errors.ShouldBeEmpty();
        var backups = result.Config!.Components["db"].Backups!;
        backups.Repository.ShouldBe("s3://rewind-backups/prod/db");
        var s3 = backups.S3!;
        (s3.Endpoint, s3.Region, s3.AccessKey, s3.SecretKey, s3.WorkDirectory)
            .ShouldBe(("http://minio.internal:9000", "us-east-1", "{{secret.S3_ACCESS_KEY}}", "{{secret.S3_SECRET_KEY}}", "/srv/config/work"));
    }

    [Fact]
    public void Parse_BadObjectStorage_ReportsEveryMistakeAtItsPosition()
    {
        var result = ConfigParser.Parse(
            """
            components:
              db:
                provider: { postgres: { url: "postgres://postgres@127.0.0.1:5432/shop", data-directory: /var/lib/pg } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 5432 } } }
                backups:
                  repository: s3://Bad_Bucket/prod
                  s3: { endpoint: "ftp://minio", region: "", access-key: AKIAEXAMPLE, secret-key: "{{secret.S3_SECRET_KEY}}" }
              web:
                provider: { release-dir: { path: /srv/web } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 80 } } }
                backups:
                  repository: /var/backups/web
                  s3: { access-key: "{{secret.S3_ACCESS_KEY}}" }
                  files: { paths: [/srv/web/uploads] }
            """,
            "rewind.yaml",
            "/etc/rewind");

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:6:19: components.db.backups.repository: 's3://Bad_Bucket/prod' is not s3://BUCKET/PREFIX (a bucket of 3-63 lower-case letters, digits, '.', '-'; a prefix of letters, digits, '.', '_', '-' parts)",
            "rewind.yaml:7:23: components.db.backups.s3.endpoint: an http:// or https:// URL without credentials, e.g. http://minio.internal:9000",
            "rewind.yaml:7:46: components.db.backups.s3.region: a region name, e.g. us-east-1",
            "rewind.yaml:7:62: components.db.backups.s3.access-key: a secret reference such as \"{{secret.S3_ACCESS_KEY}}\" (an environment variable), never the key itself",
            "rewind.yaml:13:11: components.web.backups.s3: only for a repository in object storage (repository: s3://BUCKET/PREFIX)",
            "rewind.yaml:13:25: components.web.backups.s3: access-key and secret-key go together (or neither, for the SDK's default credentials)",
        ]);
    }
}
