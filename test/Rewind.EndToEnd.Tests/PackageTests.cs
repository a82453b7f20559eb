using System.Security.Cryptography;
using System.Diagnostics;
using System.Runtime.Versioning;
using Rewind.Runtime.Processes;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// The packages <c>./rewind package</c> writes (./test.sh builds them beside the other tests and names the directory
/// in <c>REWIND_TEST_PACKAGE</c>): the tarball unpacked into an empty directory runs with no dotnet on the PATH and no
/// DOTNET_ROOT, demo included; the .deb holds the same binary where Debian expects it.
/// </summary>
[Collection(DemoRuns.Name)]
public sealed class PackageTests(UnpackedTarball tarball) : IClassFixture<UnpackedTarball>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rewind-package-test-").FullName;

    [Fact]
    public async Task Tarball_UnpackedWithoutDotnet_PrintsVersionChecksItsConfigAndRunsTheDemo()
    {
        var unpacked = await tarball.DirectoryAsync();
        var version = Path.GetFileName(PackageFile("rewind-*-linux-x64.tar.gz"))["rewind-".Length..^"-linux-x64.tar.gz".Length];
        var rewind = Path.Combine(unpacked, "bin", "rewind");
        var environment = WithoutDotnet();
        (await RunAsync(["sh", "-c", "command -v dotnet"], unpacked, environment)).Succeeded.ShouldBeFalse("dotnet must be hidden");

        var printed = await RunAsync([rewind, "--version"], unpacked, environment);
        printed.Succeeded.ShouldBeTrue(printed.Describe() + ": " + printed.Output);
        printed.Output.Trim().ShouldStartWith(version + "+");

        var check = await RunAsync([rewind, "config", "check", Path.Combine(unpacked, "share", "rewind", "rewind.example.yaml")], unpacked, environment);
        check.Succeeded.ShouldBeTrue(check.Output);

        var demo = await RunAsync([rewind, "demo"], unpacked, environment, TimeSpan.FromMinutes(3));
        demo.Succeeded.ShouldBeTrue(demo.Describe() + ": " + demo.Output);
        demo.Output.ShouldContain("now serving: v1, healthy");
    }

    [Fact]
    public async Task Tarball_Serve_AnswersTheApiAndTheDashboardFromTheSingleFile()
    {
        var unpacked = await tarball.DirectoryAsync();
        var port = Rewind.Runtime.Samples.SampleRelease.FreeLoopbackPort();
        var config = Path.Combine(_root, "rewind.yaml");
        var example = await File.ReadAllTextAsync(Path.Combine(unpacked, "share", "rewind", "rewind.example.yaml"));
        await File.WriteAllTextAsync(config, example
            .Replace("sqlite:/var/lib/rewind/rewind.db", "sqlite:" + Path.Combine(_root, "rewind.db"), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:7878", $"http://127.0.0.1:{port}", StringComparison.Ordinal));
        var info = new ProcessStartInfo(Path.Combine(unpacked, "bin", "rewind")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _root };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        info.Environment.Clear();
        foreach (var (name, value) in WithoutDotnet().Where(variable => variable.Value is not null))
        {
            info.Environment[name] = value;
        }

        using var serve = Process.Start(info)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        serve.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        serve.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.WaitAsync(
                async () => serve.HasExited ? throw new ShouldAssertException("rewind serve exited: " + string.Join('\n', output)) : (await http.GetAsync(new Uri("ui/", UriKind.Relative))).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60),
                "the packaged rewind serve to answer /ui/");
            (await http.GetStringAsync(new Uri("ui/", UriKind.Relative))).ShouldContain("<title>Rewind</title>");
            (await http.GetAsync(new Uri("ui/app.css", UriKind.Relative))).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            (await http.GetAsync(new Uri("api/v1/components", UriKind.Relative))).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Tarball_Units_RunTheUnpackedBinaryAsTheirOwnUserAndReloadOnSighup()
    {
        var units = Path.Combine(await tarball.DirectoryAsync(), "lib", "systemd", "system");

        var serve = await File.ReadAllTextAsync(Path.Combine(units, "rewind-serve.service"));
        serve.ShouldContain("\nExecStart=/usr/local/bin/rewind serve --config /etc/rewind/rewind.yaml\n");
        serve.ShouldContain("\nExecReload=/bin/kill -HUP $MAINPID\n");
        serve.ShouldContain("\nUser=rewind\n");
        serve.ShouldContain("\nStateDirectory=rewind\n");
        serve.ShouldContain("\nRestart=on-failure\n");
        var agent = await File.ReadAllTextAsync(Path.Combine(units, "rewind-agent.service"));
        agent.ShouldContain("\nExecStart=/usr/local/bin/rewind agent --token-file /etc/rewind/agent.token --journal /var/lib/rewind-agent\n");
        agent.ShouldContain("\nUser=rewind-agent\n");
        agent.ShouldContain("\nStateDirectory=rewind-agent\n");
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Deb_HoldsTheTarballsBinaryUnitsAndConffile_AndItsPostinstCreatesTheUsers()
    {
        var deb = PackageFile("rewind_*_amd64.deb");
        var fields = await RunAsync(["dpkg-deb", "--field", deb, "Package", "Version", "Architecture", "Depends"], _root);
        fields.Succeeded.ShouldBeTrue(fields.Output);
        var version = Path.GetFileName(deb)["rewind_".Length..^"_amd64.deb".Length];
        fields.Output.ShouldContain("Package: rewind\n");
        fields.Output.ShouldContain($"Version: {version}\n");
        fields.Output.ShouldContain("Architecture: amd64\n");
        fields.Output.ShouldContain("Depends: adduser,");

        var root = Path.Combine(_root, "root");
        var control = Path.Combine(_root, "control");
        (await RunAsync(["dpkg-deb", "-x", deb, root], _root)).Succeeded.ShouldBeTrue();
        (await RunAsync(["dpkg-deb", "-e", deb, control], _root)).Succeeded.ShouldBeTrue();

        File.GetUnixFileMode(Path.Combine(root, "usr", "bin", "rewind")).HasFlag(UnixFileMode.OtherExecute).ShouldBeTrue();
        (await File.ReadAllTextAsync(Path.Combine(root, "lib", "systemd", "system", "rewind-serve.service")))
            .ShouldContain("\nExecStart=/usr/bin/rewind serve --config /etc/rewind/rewind.yaml\n");
        (await File.ReadAllTextAsync(Path.Combine(root, "lib", "systemd", "system", "rewind-agent.service")))
            .ShouldContain("\nExecStart=/usr/bin/rewind agent ");
        File.Exists(Path.Combine(root, "usr", "share", "rewind", "servicectl")).ShouldBeTrue();
        (await File.ReadAllTextAsync(Path.Combine(root, "etc", "rewind", "rewind.yaml"))).ShouldContain("store: sqlite:/var/lib/rewind/rewind.db");
        (await File.ReadAllTextAsync(Path.Combine(control, "conffiles"))).Trim().ShouldBe("/etc/rewind/rewind.yaml");
        var postinst = await File.ReadAllTextAsync(Path.Combine(control, "postinst"));
        postinst.ShouldContain("adduser --system --group");
        postinst.ShouldContain("for user in rewind rewind-agent");

        Hash(Path.Combine(root, "usr", "bin", "rewind")).ShouldBe(Hash(Path.Combine(await tarball.DirectoryAsync(), "bin", "rewind")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    internal static string PackageFile(string pattern)
    {
        var directory = Environment.GetEnvironmentVariable("REWIND_TEST_PACKAGE") is { Length: > 0 } named
            ? named
            : Path.Combine(Repository.Root, ".artifacts", "package");
        var found = Directory.Exists(directory) ? Directory.GetFiles(directory, pattern) : [];
        found.Length.ShouldBe(1, $"one {pattern} in {directory}: build it with ./rewind package (./test.sh builds it beside the tests)");
        return found[0];
    }

    /// <summary>
    /// An environment with nothing inherited but a PATH with every program of the real one except dotnet, a HOME of
    /// its own (where the binary unpacks its native libraries) and TMPDIR.
    /// </summary>
    private Dictionary<string, string?> WithoutDotnet()
    {
        var path = Path.Combine(_root, "path");
        Directory.CreateDirectory(path);
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in directories.Where(Directory.Exists).SelectMany(Directory.EnumerateFiles))
        {
            var link = Path.Combine(path, Path.GetFileName(file));
            if (Path.GetFileName(file) != "dotnet" && !Path.Exists(link))
            {
                File.CreateSymbolicLink(link, file);
            }
        }

        var home = Path.Combine(_root, "home");
        Directory.CreateDirectory(home);
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>().ToDictionary(name => name, _ => (string?)null, StringComparer.Ordinal);
        environment["PATH"] = path;
        environment["HOME"] = home;
        environment["TMPDIR"] = Path.GetTempPath();
        return environment;
    }

    internal static Task<ProcessResult> RunAsync(string[] argv, string directory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null) =>
        new ProcessRunner().RunAsync(new ProcessRequest(argv, directory, timeout ?? TimeSpan.FromMinutes(1)) { Environment = environment });

    private static string Hash(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}

/// <summary>The tarball unpacked once for the class into an empty directory, as <c>tar -xzf … --strip-components=1</c>.</summary>
public sealed class UnpackedTarball : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rewind-package-").FullName;
    private readonly SemaphoreSlim _once = new(1, 1);
    private bool _unpacked;

    public async Task<string> DirectoryAsync()
    {
        await _once.WaitAsync();
        try
        {
            if (!_unpacked)
            {
                var tar = await PackageTests.RunAsync(["tar", "-xzf", PackageTests.PackageFile("rewind-*-linux-x64.tar.gz"), "-C", _directory, "--strip-components=1"], _directory);
                tar.Succeeded.ShouldBeTrue(tar.Output);
                _unpacked = true;
            }

            return _directory;
        }
        finally
        {
            _once.Release();
        }
    }

    public void Dispose()
    {
        _once.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
