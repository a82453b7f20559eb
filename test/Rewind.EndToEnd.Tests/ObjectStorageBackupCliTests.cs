using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// The backup commands with the repository in S3-compatible object storage (the test's s3rver), its credentials given as
/// <c>{{secret.NAME}}</c> (<see cref="BackupCliScenario"/>); and a command whose secret variable is unset.
/// </summary>
public sealed class ObjectStorageBackupCliTests : BackupCliScenario
{
    private S3Bucket? _bucket;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_bucket is not null)
        {
            await _bucket.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnyCommand_SecretVariableUnset_FailsNamingTheVariable()
    {
        await File.WriteAllTextAsync(Config, ConfigText(RepositoryConfig("REWIND_TEST_S3_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant())));

        using var list = RewindProcess.Start("backup", "list", "db", "--config", Config);

        (await list.WaitForExitAsync(Limit)).ShouldNotBe(0, list.Output);
        list.Output.ShouldContain("backups.s3: secret REWIND_TEST_S3_UNSET_");
        list.Output.ShouldContain("the environment variable is not set");
    }

    protected override async Task PrepareAsync() => _bucket = await S3Bucket.CreateAsync();

    protected override string RepositoryConfig() => RepositoryConfig("REWIND_TEST_S3_ACCESS_KEY");

    protected override async Task CheckRepositoryAsync(string listed)
    {
        (await _bucket!.KeysAsync("db/sets/")).ShouldContain(key => key.EndsWith("/manifest.json", StringComparison.Ordinal));
        listed.ShouldNotContain(_bucket.SecretKey + "@");
    }

    private string RepositoryConfig(string accessKeyVariable) => $$$"""
              repository: {{{_bucket!.Location("db")}}}
              s3: { endpoint: "{{{_bucket.Endpoint}}}", access-key: "{{secret.{{{accessKeyVariable}}}}}", secret-key: "{{secret.REWIND_TEST_S3_SECRET_KEY}}", work-directory: {{{Path.Combine(Root, "work")}}} }
        """;
}
