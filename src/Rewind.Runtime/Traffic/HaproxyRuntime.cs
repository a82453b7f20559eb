using System.Globalization;
using Rewind.Core.Haproxy;

namespace Rewind.Runtime.Traffic;

/// <summary>
/// A client for HAProxy's runtime API (the <c>stats socket</c>, level <c>admin</c> for the set commands). Each call
/// opens a connection, sends one command line, and reads the answer until HAProxy closes the connection (its
/// non-interactive mode). Commands are built only from validated names and typed values, so no input can add a second
/// command.
/// </summary>
/// <remarks>
/// Servers are read with <c>show servers state</c> rather than <c>show stat</c>: it is the machine format HAProxy
/// itself reloads state from (versioned, columns named in a header), it holds both the current and the initial weight
/// (<c>show stat</c> has no initial weight, and its status text mixes states with check counters such as
/// <c>UP 1/3</c>), and it filters by backend on HAProxy's side.
/// </remarks>
/// <param name="address"><c>unix:/run/haproxy/admin.sock</c> or <c>tcp:127.0.0.1:9999</c>; see <see cref="HaproxyAddress"/>.</param>
/// <param name="timeout">For connecting, sending and reading the whole answer. Default 5 seconds.</param>
/// <param name="timeProvider">Runs the timeout; default the system clock.</param>
public sealed partial class HaproxyRuntime(string address, TimeSpan? timeout = null, TimeProvider? timeProvider = null)
{
    /// <summary>Largest weight HAProxy accepts for a server.</summary>
    public const int MaxWeight = TrafficShiftPlan.MaxWeight;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public HaproxyAddress Address { get; } = HaproxyAddress.Parse(address);

    public TimeSpan Timeout { get; } = timeout is { } t && t <= TimeSpan.Zero
        ? throw new ArgumentOutOfRangeException(nameof(timeout), t, "the timeout must be positive")
        : timeout ?? TimeSpan.FromSeconds(5);

    /// <summary>The servers of <paramref name="backend"/>, in configuration order.</summary>
    /// <exception cref="HaproxyRuntimeException">No such backend ("Can't find backend."), or HAProxy could not be asked.</exception>
    public async Task<IReadOnlyList<HaproxyServer>> GetServersAsync(string backend, CancellationToken cancellationToken = default)
    {
        HaproxyName.Require(backend, nameof(backend));
        var command = $"show servers state {backend}";
        var answer = await SendAsync(command, cancellationToken);
        return ServersStateAnswer.Parse(command, backend, answer);
    }

    /// <summary>
    /// Sets a server's current weight, 0 (no new load-balanced traffic) to 256; its share of load-balanced traffic is its
    /// weight over the sum of its backend's weights.
    /// </summary>
    /// <exception cref="HaproxyRuntimeException">HAProxy refused (no such backend or server, a static algorithm, not admin).</exception>
    public Task SetWeightAsync(string backend, string server, int weight, CancellationToken cancellationToken = default)
    {
        HaproxyName.Require(backend, nameof(backend));
        HaproxyName.Require(server, nameof(server));
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, MaxWeight);
        return ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"set server {backend}/{server} weight {weight}"), cancellationToken);
    }

    /// <summary>Forces a server's administrative state: <c>ready</c>, <c>drain</c> or <c>maint</c>.</summary>
    /// <exception cref="HaproxyRuntimeException">HAProxy refused (no such backend or server, not admin).</exception>
    public Task SetStateAsync(string backend, string server, HaproxyAdminMode state, CancellationToken cancellationToken = default)
    {
        HaproxyName.Require(backend, nameof(backend));
        HaproxyName.Require(server, nameof(server));
        var word = state switch
        {
            HaproxyAdminMode.Ready => "ready",
            HaproxyAdminMode.Drain => "drain",
            HaproxyAdminMode.Maint => "maint",
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a HAProxy administrative state"),
        };
        return ExecuteAsync($"set server {backend}/{server} state {word}", cancellationToken);
    }

    /// <summary>A set command succeeds with an empty answer; any text is HAProxy saying no.</summary>
    private async Task ExecuteAsync(string command, CancellationToken cancellationToken)
    {
        var answer = (await SendAsync(command, cancellationToken)).Trim();
        if (answer.Length > 0)
        {
            throw new HaproxyRuntimeException(command, answer);
        }
    }
}
