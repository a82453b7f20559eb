using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;

namespace Rewind.Bench.Hosts;

/// <summary>
/// The Capistrano-style baseline: Debian's OpenSSH server (its own <c>sshd</c> on 127.0.0.1, its own host key, an
/// authorized_keys holding one throwaway key) and a script making one <c>ssh HOST 'ln -sfn releases/v1 …/current &amp;&amp;
/// …/restart'</c> per host, either one host after the other (the loop) or ten at a time (<c>xargs -P 10</c>). A fresh
/// connection per host, no multiplexing, as such a script does.
/// </summary>
internal sealed class SshBaseline : IDisposable
{
    private readonly string _dir;
    private readonly int _port;
    private Process? _sshd;

    private SshBaseline(string dir, int port)
    {
        _dir = dir;
        _port = port;
    }

    public string LoopScript => Path.Combine(_dir, "ssh-loop.sh");

    public string ParallelScript => Path.Combine(_dir, "ssh-parallel.sh");

    public static async Task<SshBaseline> StartAsync(HostsWorld world)
    {
        var dir = Path.Combine(world.Root, "ssh");
        Directory.CreateDirectory(dir);
        var ssh = new SshBaseline(dir, SampleRelease.FreeLoopbackPort());
        try
        {
            await ssh.PrepareAsync(world);
            return ssh;
        }
        catch
        {
            ssh.Dispose();
            throw;
        }
    }

    /// <summary>Starts <paramref name="script"/> (bash) and returns the running process; the caller times it.</summary>
    public static Process Run(string script)
    {
        var info = new ProcessStartInfo("/bin/bash") { ArgumentList = { script }, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        return Process.Start(info)!;
    }

    public void Dispose()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill(entireProcessTree: true);
            _sshd.WaitForExit(10_000);
        }

        _sshd?.Dispose();
    }

    private async Task PrepareAsync(HostsWorld world)
    {
        await KeygenAsync("host_key");
        await KeygenAsync("client_key");
        File.Copy(Path.Combine(_dir, "client_key.pub"), Path.Combine(_dir, "authorized_keys"));
        Directory.CreateDirectory("/run/sshd"); // sshd's privilege separation directory
        var config = Path.Combine(_dir, "sshd_config");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"""
            ListenAddress 127.0.0.1
            HostKey {Path.Combine(_dir, "host_key")}
            PidFile {Path.Combine(_dir, "sshd.pid")}
            AuthorizedKeysFile {Path.Combine(_dir, "authorized_keys")}
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PrintMotd no
            MaxStartups 100:30:200
            MaxSessions 100

            """));
        _sshd = Process.Start(new ProcessStartInfo("/usr/sbin/sshd") { ArgumentList = { "-D", "-e", "-f", config, "-p", _port.ToString(CultureInfo.InvariantCulture) }, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        _sshd.ErrorDataReceived += (_, _) => { };
        _sshd.BeginErrorReadLine();
        _sshd.BeginOutputReadLine();

        var client = string.Join(' ', "ssh", "-o StrictHostKeyChecking=no", "-o UserKnownHostsFile=/dev/null", "-o LogLevel=ERROR", "-o BatchMode=yes",
            $"-i '{Path.Combine(_dir, "client_key")}'", string.Create(CultureInfo.InvariantCulture, $"-p {_port}"), $"{Environment.UserName}@127.0.0.1");
        WriteScripts(world, client);
        await Wait.UntilAsync(() => Task.FromResult(Accepts()), "sshd to listen", () => _sshd.HasExited ? "sshd exited" : "");
        var check = await new ProcessRunner().RunAsync(new ProcessRequest(["/bin/bash", "-c", client + " true"], _dir, TimeSpan.FromSeconds(30)));
        check.Succeeded.Check($"ssh to the benchmark's sshd: {check.Output}");
    }

    private void WriteScripts(HostsWorld world, string client)
    {
        var hosts = Path.Combine(world.Root, "hosts");
        // one host's rollback, as the deploy tool's task: switch the link, then the host's restart
        var one = Path.Combine(_dir, "rollback-host.sh");
        File.WriteAllText(one, $"""
            #!/bin/bash
            # rollback-host.sh HOST: over ssh, point HOST's current at releases/v1 and restart it
            exec {client} "ln -sfn releases/v1 '{hosts}'/$1/app/current && '{hosts}'/$1/restart"

            """);
        var list = string.Join(' ', world.Hosts);
        File.WriteAllText(LoopScript, $"""
            #!/bin/bash
            # the loop: one host after the other, on to the next whatever happened
            failed=0
            for host in {list}; do '{one}' "$host" >/dev/null || {"{"} echo "$host failed" >&2; failed=1; {"}"}; done
            exit $failed

            """);
        File.WriteAllText(ParallelScript, string.Create(CultureInfo.InvariantCulture, $"""
            #!/bin/bash
            # the parallel loop: {HostsWorld.Concurrency} hosts at a time
            printf '%s\n' {list} | xargs -P {HostsWorld.Concurrency} -n 1 '{one}' >/dev/null

            """));
        foreach (var script in new[] { one, LoopScript, ParallelScript })
        {
            HostsWorld.Executable(script);
        }
    }

    private bool Accepts()
    {
        try
        {
            using var tcp = new TcpClient();
            tcp.Connect("127.0.0.1", _port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task KeygenAsync(string name)
    {
        var result = await new ProcessRunner().RunAsync(new ProcessRequest(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(_dir, name)], _dir, TimeSpan.FromSeconds(30)));
        result.Succeeded.Check($"ssh-keygen {name}: {result.Output}");
    }
}
