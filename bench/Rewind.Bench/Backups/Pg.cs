using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Rewind.Runtime.Processes;

namespace Rewind.Bench.Backups;

/// <summary>
/// PostgreSQL's programs for the backup benchmarks: argv lists only, run as <c>postgres</c> through
/// <c>runuser -u postgres --</c> when the benchmark runs as root (PostgreSQL refuses root).
/// </summary>
internal static class Pg
{
    public const string Bin = "/usr/lib/postgresql/15/bin";

    /// <summary>The system user PostgreSQL's programs run as, or <see langword="null"/> when not root.</summary>
    public static string? User { get; } = Environment.UserName == "root" ? "postgres" : null;

    private static readonly ProcessRunner Runner = new();

    /// <summary>A program of <see cref="Bin"/> (or any absolute path) with its arguments, as PostgreSQL's user.</summary>
    public static string[] Command(string program, params string[] arguments) =>
        [.. User is { } user ? new[] { "runuser", "-u", user, "--" } : [], program.StartsWith('/') ? program : Path.Combine(Bin, program), .. arguments];

    /// <summary>Runs <paramref name="argv"/>; throws with its output when it fails.</summary>
    public static async Task<ProcessResult> RunAsync(IReadOnlyList<string> argv, TimeSpan? timeout = null)
    {
        var result = await Runner.RunAsync(new ProcessRequest(argv, null, timeout ?? TimeSpan.FromHours(1)));
        return result.Succeeded
            ? result
            : throw new InvalidOperationException($"{string.Join(' ', argv)}: {result.Describe()}: {result.Output.Trim()}");
    }

    /// <summary>A new directory under <paramref name="parent"/> that PostgreSQL's user owns, mode 0700.</summary>
    public static async Task<string> DirectoryAsync(string parent, string name)
    {
        var path = Path.Combine(parent, name);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the backup benchmarks run PostgreSQL on Linux");
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await GiveAsync(path);
        return path;
    }

    /// <summary>Gives <paramref name="path"/> (recursively) to PostgreSQL's user.</summary>
    public static async Task GiveAsync(string path)
    {
        if (User is { } user)
        {
            await RunAsync(["chown", "-R", $"{user}:{user}", path]);
        }
    }

    /// <summary>Removes a directory tree if it is there.</summary>
    public static void Remove(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Bytes of all files under <paramref name="directory"/>.</summary>
    public static long Size(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length);

    public static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
