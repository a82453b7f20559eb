using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

// Usage: Rewind.WalTool push|fetch --repository DIR|s3://BUCKET/PREFIX [--s3-endpoint URL --s3-access-key KEY --s3-secret-key KEY]
//          [--key-file FILE] [--compression none|gzip] ARG1 ARG2
//   push  %p %f   (archive_command)
//   fetch %f %p   (restore_command)
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var positional = new List<string>();
for (var i = 1; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i]] = args[++i];
    }
    else
    {
        positional.Add(args[i]);
    }
}

if (args.Length == 0 || positional.Count != 2 || !options.TryGetValue("--repository", out var repositoryPath))
{
    await Console.Error.WriteLineAsync("usage: Rewind.WalTool push|fetch --repository DIR [--key-file FILE] [--compression none|gzip] ARG1 ARG2");
    return WalFetchResult.HardFailureExitCode;
}

BackupKey? key = null;
if (options.TryGetValue("--key-file", out var keyFile))
{
    var loaded = BackupKey.Load(keyFile);
    if (loaded.Key is null)
    {
        await Console.Error.WriteLineAsync(loaded.Error);
        return WalFetchResult.HardFailureExitCode;
    }

    key = loaded.Key;
}

var compression = options.GetValueOrDefault("--compression") == "none" ? StoredCompression.None : StoredCompression.Gzip;
var objectStorage = options.TryGetValue("--s3-endpoint", out var endpoint)
    ? new ObjectStorageOptions { Endpoint = endpoint, AccessKey = options.GetValueOrDefault("--s3-access-key"), SecretKey = options.GetValueOrDefault("--s3-secret-key") }
    : null;
var archive = new WalArchive(new BackupRepository(new BackupRepositoryOptions(repositoryPath) { Key = key, Compression = compression, ObjectStorage = objectStorage }));
if (args[0] == "push")
{
    var pushed = await archive.PushAsync(positional[0], positional[1]);
    if (!pushed.Succeeded)
    {
        await Console.Error.WriteLineAsync(pushed.Message);
    }

    return pushed.ExitCode;
}

var fetched = await archive.FetchAsync(positional[0], positional[1]);
if (fetched.Outcome != WalFetchOutcome.Fetched && fetched.Outcome != WalFetchOutcome.NotFound)
{
    await Console.Error.WriteLineAsync(fetched.Message);
}

return fetched.ExitCode;
