using System.Diagnostics;
using System.Text;
using Rewind.Core.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// The <c>restore_command</c> a spooled restore writes, run through <c>/bin/sh -c</c> as PostgreSQL runs it (with
/// <c>%f</c>, <c>%p</c> and <c>%%</c> replaced): a spooled file is taken, a name marked none is answered at once, a name
/// marked coming is waited for, and only what the spool does not hold is fetched.
/// </summary>
public sealed class SpoolRestoreCommandTests : IDisposable
{
    private const string Segment = "000000010000000000000003";
    private readonly string _root = Directory.CreateTempSubdirectory("rewind-spool-command-").FullName;

    public SpoolRestoreCommandTests()
    {
        Directory.CreateDirectory(Spool);
        Directory.CreateDirectory(Wal);
    }

    private string Spool => Path.Combine(_root, "data.restoring-1.wal-spool");

    private string Wal => Path.Combine(_root, "pg_wal");

    private string Destination => Path.Combine(Wal, "RECOVERYXLOG");

    /// <summary>Left by the fallback fetch command: it ran.</summary>
    private string Fetched => Path.Combine(_root, "fetched");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task SpooledFile_IsTaken_WithoutFetching()
    {
        File.WriteAllText(Path.Combine(Spool, Segment), "wal");

        (await RunAsync()).ShouldBe(0);

        File.ReadAllText(Destination).ShouldBe("wal");
        File.Exists(Path.Combine(Spool, Segment)).ShouldBeFalse();
        File.Exists(Fetched).ShouldBeFalse();
    }

    [Fact]
    public async Task MarkedNone_IsNotInTheArchive_AtOnce()
    {
        File.WriteAllBytes(Path.Combine(Spool, Segment + ".none"), []);

        (await RunAsync()).ShouldBe(1);

        File.Exists(Destination).ShouldBeFalse();
        File.Exists(Fetched).ShouldBeFalse();
    }

    [Fact]
    public async Task MarkedComing_IsWaitedFor_AndTakenWhenTheSpoolHasIt()
    {
        var coming = Path.Combine(Spool, Segment + ".coming");
        File.WriteAllBytes(coming, []);
        using var shell = Start();

        // waiting while the mark is there (it waits up to a minute): seen in its loop, a sleep running under it; then the spool delivers
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists($"/proc/{shell.Id}/task/{shell.Id}/children") && File.ReadAllText($"/proc/{shell.Id}/task/{shell.Id}/children").Trim().Length > 0), TimeSpan.FromSeconds(30), "the command to wait for the coming file");
        shell.HasExited.ShouldBeFalse();
        File.WriteAllText(Path.Combine(Spool, Segment), "wal");
        File.Delete(coming);
        await shell.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        shell.ExitCode.ShouldBe(0);
        File.ReadAllText(Destination).ShouldBe("wal");
        File.Exists(Fetched).ShouldBeFalse();
    }

    [Fact]
    public async Task MarkedComing_ButTheSpoolFailedToFetchIt_IsFetched()
    {
        var coming = Path.Combine(Spool, Segment + ".coming");
        File.WriteAllBytes(coming, []);
        using var shell = Start();
        File.Delete(coming); // the spool's fetch failed: the mark goes, no file comes

        await shell.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        shell.ExitCode.ShouldBe(0);
        File.Exists(Fetched).ShouldBeTrue();
    }

    [Fact]
    public async Task NotSpooled_IsFetched()
    {
        (await RunAsync()).ShouldBe(0);

        File.Exists(Fetched).ShouldBeTrue();
    }

    private async Task<int> RunAsync()
    {
        using var shell = Start();
        await shell.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return shell.ExitCode;
    }

    /// <summary>The command for <see cref="Segment"/>, started as PostgreSQL starts it; the fetch command stands in for <c>rewind wal fetch</c> by touching <see cref="Fetched"/>.</summary>
    private Process Start()
    {
        RecoverySettings.TryCreate(["/usr/bin/touch", Fetched], RestoreTarget.EndOfWal, out var settings, out var error).ShouldBeTrue(error);
        var template = settings!.WithSpool(Spool).ShouldNotBeNull().Values.Single(v => v.Key == "restore_command").Value;
        var info = new ProcessStartInfo("/bin/sh") { WorkingDirectory = Wal };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Substitute(template, Segment, Destination));
        return Process.Start(info)!;
    }

    /// <summary>PostgreSQL's replacement of <c>%f</c>, <c>%p</c> and <c>%%</c> in a <c>restore_command</c>.</summary>
    private static string Substitute(string template, string file, string path)
    {
        var text = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '%' && i + 1 < template.Length)
            {
                text.Append(template[++i] switch { 'f' => file, 'p' => path, '%' => "%", var other => "%" + other });
            }
            else
            {
                text.Append(template[i]);
            }
        }

        return text.ToString();
    }
}
