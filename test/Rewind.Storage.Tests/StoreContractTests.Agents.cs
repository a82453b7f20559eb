using Rewind.Core.Agents;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CreateAgentTokenAsync_FoundByHash_RoundTrips()
    {
        var host = NewHost();
        var token = new AgentToken($"at-{host}", host, "agent of app", T0, "alice", T0.AddDays(90));

        await Store.CreateAgentTokenAsync(token, $"hash-{host}");

        (await Store.FindAgentTokenAsync($"hash-{host}")).ShouldBe(token);
        (await Store.FindAgentTokenAsync($"other-{host}")).ShouldBeNull();
    }

    [Fact]
    public async Task RevokeAgentTokenAsync_Twice_RevokesOnceAndTheTokenIsStillFound()
    {
        var host = NewHost();
        var token = new AgentToken($"at-{host}", host, "agent of app", T0, "alice", null);
        await Store.CreateAgentTokenAsync(token, $"hash-{host}");

        (await Store.RevokeAgentTokenAsync(token.Id, T0.AddHours(1))).ShouldBeTrue();
        (await Store.RevokeAgentTokenAsync(token.Id, T0.AddHours(2))).ShouldBeFalse();
        (await Store.RevokeAgentTokenAsync($"unknown-{host}", T0.AddHours(2))).ShouldBeFalse();

        (await Store.FindAgentTokenAsync($"hash-{host}")).ShouldBe(token with { RevokedAt = T0.AddHours(1) });
    }

    [Fact]
    public async Task GetAgentTokensAsync_TwoTokens_NewestFirst()
    {
        var host = NewHost();
        var older = new AgentToken($"at-1-{host}", host, "first", T0, "alice", null);
        var newer = new AgentToken($"at-2-{host}", host, "second", T0.AddMinutes(1), "bob", T0.AddDays(1));
        await Store.CreateAgentTokenAsync(older, $"hash-1-{host}");
        await Store.CreateAgentTokenAsync(newer, $"hash-2-{host}");

        (await Store.GetAgentTokensAsync()).Where(t => t.Host == host).ShouldBe([newer, older]);
    }

    [Fact]
    public async Task SaveAgentAsync_SavedTwice_KeepsTheFirstSightingAndUpdatesTheRest()
    {
        var host = NewHost();
        await Store.SaveAgentAsync(new AgentRecord(host, "instance-1", "1.0.0", "10.0.0.7", T0, T0.AddSeconds(1), T0.AddSeconds(1)));
        var restarted = new AgentRecord(host, "instance-2", "1.1.0", null, T0.AddMinutes(5), T0.AddMinutes(5), T0.AddMinutes(6));

        await Store.SaveAgentAsync(restarted);

        (await Store.GetAgentsAsync()).Where(a => a.Host == host).ShouldBe([restarted with { FirstSeen = T0.AddSeconds(1) }]);
    }

    private static string NewHost() => $"app-{Guid.NewGuid():N}"[..12];
}
