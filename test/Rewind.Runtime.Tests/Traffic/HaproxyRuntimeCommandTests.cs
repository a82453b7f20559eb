using System.Net;
using System.Net.Sockets;
using System.Text;
using Rewind.Runtime.Traffic;

namespace Rewind.Runtime.Tests.Traffic;

/// <summary>The client against a plain TCP listener standing in for HAProxy: what it sends, and what it makes of odd answers.</summary>
public sealed class HaproxyRuntimeCommandTests : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public HaproxyRuntimeCommandTests() => _listener.Start();

    private string Address => $"tcp:127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void Dispose() => _listener.Dispose();

    [Theory]
    [InlineData("app\nset server app/a state maint", "a")]
    [InlineData("app;set server app/a state maint", "a")]
    [InlineData("app", "a b")]
    [InlineData("app", "a/b")]
    [InlineData("app", "#1")]
    [InlineData("app", "a\\;b")]
    [InlineData("", "a")]
    [InlineData("app", "")]
    public async Task SetWeightAndSetStateAsync_BadName_IsRejectedBeforeAnythingIsSent(string backend, string server)
    {
        var runtime = new HaproxyRuntime(Address);

        await Should.ThrowAsync<ArgumentException>(() => runtime.SetWeightAsync(backend, server, 1));
        await Should.ThrowAsync<ArgumentException>(() => runtime.SetStateAsync(backend, server, HaproxyAdminMode.Maint));

        _listener.Pending().ShouldBeFalse("no connection may be opened for a rejected name");
    }

    [Theory]
    [InlineData("app\nshow info")]
    [InlineData("app;show info")]
    [InlineData("app\r")]
    [InlineData("app\n")]
    [InlineData("app ")]
    [InlineData("")]
    public async Task GetServersAsync_BadBackendName_IsRejectedBeforeAnythingIsSent(string backend)
    {
        await Should.ThrowAsync<ArgumentException>(() => new HaproxyRuntime(Address).GetServersAsync(backend));

        _listener.Pending().ShouldBeFalse("no connection may be opened for a rejected name");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(257)]
    public async Task SetWeightAsync_OutsideZeroTo256_IsRejectedBeforeAnythingIsSent(int weight)
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => new HaproxyRuntime(Address).SetWeightAsync("app", "a", weight));

        _listener.Pending().ShouldBeFalse();
    }

    [Fact]
    public async Task SetStateAsync_Drain_SendsOneCommandLine()
    {
        var received = AnswerOnceAsync("\n");

        await new HaproxyRuntime(Address).SetStateAsync("be_web-1", "srv.2:x", HaproxyAdminMode.Drain);

        (await received).ShouldBe("set server be_web-1/srv.2:x state drain\n");
    }

    [Fact]
    public async Task SetWeightAsync_AnyTextInTheAnswer_IsARefusal()
    {
        _ = AnswerOnceAsync("Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n\n");

        var error = await Should.ThrowAsync<HaproxyRuntimeException>(() => new HaproxyRuntime(Address).SetWeightAsync("app", "a", 5));

        error.Answer.ShouldBe("Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.");
    }

    [Fact]
    public async Task GetServersAsync_AnotherFormatVersion_IsRefused()
    {
        _ = AnswerOnceAsync("2\n# be_id be_name srv_id srv_name\n3 app 1 a\n\n");

        var error = await Should.ThrowAsync<HaproxyRuntimeException>(() => new HaproxyRuntime(Address).GetServersAsync("app"));

        error.Message.ShouldContain("unsupported 'show servers state' format 2");
    }

    [Fact]
    public async Task GetServersAsync_NoAnswerWithinTheTimeout_ThrowsATransientError()
    {
        var call = new HaproxyRuntime(Address, TimeSpan.FromMilliseconds(300)).GetServersAsync("app");
        using var silent = await _listener.AcceptTcpClientAsync();

        var error = await Should.ThrowAsync<HaproxyRuntimeException>(() => call);

        (error.IsTransient, error.Answer).ShouldBe((true, null));
        error.Message.ShouldBe("no answer from HAProxy at " + Address + " within 300ms");
    }

    [Fact]
    public async Task GetServersAsync_NothingListening_ThrowsATransientError()
    {
        var runtime = new HaproxyRuntime("unix:" + Path.Combine(Path.GetTempPath(), "rewind-no-haproxy-" + Guid.NewGuid().ToString("N") + ".sock"));

        var error = await Should.ThrowAsync<HaproxyRuntimeException>(() => runtime.GetServersAsync("app"));

        error.IsTransient.ShouldBeTrue();
        error.Message.ShouldBe($"cannot reach HAProxy at {runtime.Address}: no socket at this path");
    }

    /// <summary>Accepts one connection, reads its command line, answers, and closes, as HAProxy does.</summary>
    private async Task<string> AnswerOnceAsync(string answer)
    {
        using var client = await _listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer) == 1)
        {
            line.Append((char)buffer[0]);
            if (buffer[0] == '\n')
            {
                break;
            }
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
        return line.ToString();
    }
}
