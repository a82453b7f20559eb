using Rewind.Core.Runbooks;

namespace Rewind.Core.Configuration;

/// <summary>Checks of a backup repository in S3-compatible object storage (<c>backups.repository: s3://…</c>, <c>backups.s3</c>).</summary>
internal static partial class ConfigValidator
{
    private static void ValidateObjectStorage(string at, BackupsConfig backups, Action<object, string?, string> add)
    {
        var s3Repository = backups.Repository.StartsWith("s3://", StringComparison.Ordinal);
        if (s3Repository && !IsObjectLocation(backups.Repository))
        {
            add(backups, "repository", $"{at}.repository: '{backups.Repository}' is not s3://BUCKET/PREFIX (a bucket of 3-63 lower-case letters, digits, '.', '-'; a prefix of letters, digits, '.', '_', '-' parts)");
        }

        if (backups.S3 is not { } s3)
        {
            return;
        }

        if (!s3Repository)
        {
            add(s3, null, $"{at}.s3: only for a repository in object storage (repository: s3://BUCKET/PREFIX)");
        }

        if (s3.Endpoint is { } endpoint && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo)))
        {
            add(s3, "endpoint", $"{at}.s3.endpoint: an http:// or https:// URL without credentials, e.g. http://minio.internal:9000");
        }

        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            add(s3, "region", $"{at}.s3.region: a region name, e.g. us-east-1");
        }

        if ((s3.AccessKey is null) != (s3.SecretKey is null))
        {
            add(s3, s3.AccessKey is null ? "secret-key" : "access-key", $"{at}.s3: access-key and secret-key go together (or neither, for the SDK's default credentials)");
        }

        foreach (var (key, value) in new[] { ("access-key", s3.AccessKey), ("secret-key", s3.SecretKey) })
        {
            if (value is not null && !IsSecretReference(value))
            {
                add(s3, key, $"{at}.s3.{key}: a secret reference such as \"{{{{secret.S3_{(key == "access-key" ? "ACCESS" : "SECRET")}_KEY}}}}\" (an environment variable), never the key itself");
            }
        }
    }

    /// <summary>Exactly one <c>{{secret.NAME}}</c> and nothing else.</summary>
    private static bool IsSecretReference(string value) =>
        PlanTemplate.Secrets(value).ToList() is [var name] && value == "{{secret." + name + "}}";

    private static bool IsObjectLocation(string location)
    {
        var rest = location["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return ObjectStorageNames.IsBucket(slash < 0 ? rest : rest[..slash]) && ObjectStorageNames.IsPrefix(slash < 0 ? "" : rest[(slash + 1)..].Trim('/'));
    }
}
