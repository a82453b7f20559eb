using Rewind.Core.Access;
using Rewind.Core.Audit;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CreateUserAsync_Twice_RefusesTheSecondAndKeepsTheRoles()
    {
        var name = NewComponent("user");
        var created = await Store.CreateUserAsync(new User(name, [Roles.Operator, "tech-lead"], T0, "bootstrap"));
        var again = await Store.CreateUserAsync(new User(name, [Roles.Admin], T0, "someone"));

        created.ShouldBeTrue();
        again.ShouldBeFalse();
        (await Store.GetUserAsync(name)).ShouldBe(new User(name, [Roles.Operator, "tech-lead"], T0, "bootstrap"), new UserComparer());
    }

    [Fact]
    public async Task FindTokenAsync_ByHash_FindsTokenAndUserAndRevocationSticks()
    {
        var name = NewComponent("user");
        await Store.CreateUserAsync(new User(name, [Roles.Viewer], T0, "test"));
        var secret = TokenSecret.New(TokenSecret.ApiPrefix);
        var token = new ApiToken(TokenSecret.NewId(), name, "laptop", T0, T0.AddDays(30));
        await Store.CreateTokenAsync(token, TokenSecret.Hash(secret));

        var found = await Store.FindTokenAsync(TokenSecret.Hash(secret));
        var missing = await Store.FindTokenAsync(TokenSecret.Hash(secret + "x"));
        var revoked = await Store.RevokeTokenAsync(token.Id, T0.AddHours(1));
        var revokedAgain = await Store.RevokeTokenAsync(token.Id, T0.AddHours(2));
        var after = await Store.FindTokenAsync(TokenSecret.Hash(secret));

        found.ShouldNotBeNull();
        found.Value.Token.ShouldBe(token);
        found.Value.User.Name.ShouldBe(name);
        missing.ShouldBeNull();
        revoked.ShouldBeTrue();
        revokedAgain.ShouldBeFalse();
        after!.Value.Token.RevokedAt.ShouldBe(T0.AddHours(1));
        after.Value.Token.Refusal(T0.AddHours(3)).ShouldBe($"token {token.Id} was revoked at {Rewind.Core.Configuration.Timestamps.Format(T0.AddHours(1))}");
        (await Store.GetTokensAsync(name)).ShouldHaveSingleItem().Id.ShouldBe(token.Id);
    }

    [Fact]
    public async Task DisableUserAsync_OnceOnly()
    {
        var name = NewComponent("user");
        await Store.CreateUserAsync(new User(name, [Roles.Viewer], T0, "test"));

        (await Store.DisableUserAsync(name, T0.AddMinutes(1))).ShouldBeTrue();
        (await Store.DisableUserAsync(name, T0.AddMinutes(2))).ShouldBeFalse();
        (await Store.GetUserAsync(name))!.IsActive.ShouldBeFalse();
    }

    [Fact]
    public async Task AppendAuditAsync_Concurrently_KeepsOneUnbrokenChain()
    {
        // The audit log is store-wide, so it runs on its own database.
        var store = Fixture.Open(await Fixture.CreateEmptyLocationAsync());
        await store.MigrateAsync();

        await Task.WhenAll(Enumerable.Range(0, 25).Select(i => store.AppendAuditAsync(new AuditRecord(T0.AddSeconds(i), $"user{i}", "POST /api/v1/rollbacks", "web", "127.0.0.1", "202"))));
        var entries = await store.GetAuditAsync(0, 100);

        entries.Count.ShouldBe(25);
        entries.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, 25).Select(i => (long)i));
        AuditChain.Verify(entries).ShouldBeEmpty();
        (await store.GetAuditAsync(20, 100)).Select(e => e.Seq).ShouldBe([21L, 22, 23, 24, 25]);
        await ((IAsyncDisposable)store).DisposeAsync();
    }

    [Fact]
    public async Task AppendAuditAsync_CountedEntry_KeepsItsCountInTheChain()
    {
        var store = Fixture.Open(await Fixture.CreateEmptyLocationAsync());
        await store.MigrateAsync();

        await store.AppendAuditAsync(new AuditRecord(T0, "alice", "POST /api/v1/rollbacks", "web", "127.0.0.1", "202"));
        await store.AppendAuditAsync(new AuditRecord(T0.AddMinutes(1), "anonymous", "GET /api/v1/components", "", "10.0.0.7", "401", "unknown token; 9999 refused", 9999));
        await store.AppendAuditAsync(new AuditRecord(T0.AddMinutes(2), "alice", "POST /api/v1/rollbacks", "web", "127.0.0.1", "202"));
        var entries = await store.GetAuditAsync(0, 100);

        entries.Select(e => e.Count).ShouldBe([1L, 9999, 1]);
        AuditChain.Verify(entries).ShouldBeEmpty();
        AuditChain.Verify([entries[0], entries[1] with { Count = 1 }, entries[2]]).ShouldBe(["entry 2 was edited: its content does not match its hash"]);
        await ((IAsyncDisposable)store).DisposeAsync();
    }

    private sealed class UserComparer : IEqualityComparer<User>
    {
        public bool Equals(User? x, User? y) => x is not null && y is not null && x.Name == y.Name && x.Roles.SequenceEqual(y.Roles) && x.CreatedAt == y.CreatedAt && x.CreatedBy == y.CreatedBy && x.DisabledAt == y.DisabledAt;

        public int GetHashCode(User obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
