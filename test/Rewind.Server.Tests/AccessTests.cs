using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>Authentication, roles and the audit log on a real controller.</summary>
public sealed class AccessTests
{
    [Fact]
    public async Task NoOrWrongToken_401ProblemDetails_NothingChanges_OnlyTheAuditEntryRemains()
    {
        await using var server = await ServerFixture.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };
        using var wrong = Client(server, "rwt_this-is-not-a-token");

        using var read = await anonymous.GetAsync(new Uri("api/v1/components", UriKind.Relative));
        using var write = await wrong.PostAsJsonAsync(new Uri("api/v1/components/web/releases", UriKind.Relative), new { version = "v9" });
        using var health = await anonymous.GetAsync(new Uri("api/v1/health", UriKind.Relative));

        read.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        read.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        read.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"rewind\"");
        write.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await write.Content.ReadAsStringAsync()).ShouldContain("unknown token");
        health.StatusCode.ShouldBe(HttpStatusCode.OK); // the controller's own health stays open for load balancers
        (await server.Client.GetReleasesAsync("web")).ShouldBeEmpty();
        var audit = await server.Client.GetAuditAsync();
        audit.ShouldContain(e => e.Actor == "anonymous" && e.Action == "GET /api/v1/components" && e.Result == "401" && e.Source == "127.0.0.1");
        audit.ShouldContain(e => e.Actor == "anonymous" && e.Action == "POST /api/v1/components/{name}/releases" && e.Target == "name=web" && e.Result == "401" && e.Detail == "unknown token");
        audit.ShouldNotContain(e => e.Detail.Contains("rwt_", StringComparison.Ordinal)); // never a secret
    }

    [Fact]
    public async Task RevokedOrExpiredToken_401WithTheReason()
    {
        await using var server = await ServerFixture.StartAsync();
        await server.Client.CreateUserAsync(new CreateUserRequest("bob", [Roles.Operator]));
        var revoked = await server.Client.CreateTokenAsync("bob", new CreateTokenRequest("laptop"));
        await server.Client.RevokeTokenAsync(revoked.Id);
        var expiredSecret = TokenSecret.New(TokenSecret.ApiPrefix);
        var expired = new ApiToken(TokenSecret.NewId(), "bob", "old", TimeProvider.System.GetUtcNow().AddDays(-10), TimeProvider.System.GetUtcNow().AddMinutes(-1));
        await server.Store.CreateTokenAsync(expired, TokenSecret.Hash(expiredSecret));

        using var revokedClient = Client(server, revoked.Token);
        using var expiredClient = Client(server, expiredSecret);
        var byRevoked = await Should.ThrowAsync<RewindApiException>(() => new RewindClient(revokedClient).RecordReleaseAsync("web", new RecordReleaseRequest("v9")));
        var byExpired = await Should.ThrowAsync<RewindApiException>(() => new RewindClient(expiredClient).GetComponentsAsync());

        byRevoked.Status.ShouldBe(401);
        byRevoked.Message.ShouldContain($"token {revoked.Id} was revoked at");
        byExpired.Status.ShouldBe(401);
        byExpired.Message.ShouldContain($"token {expired.Id} expired at");
        (await server.Client.GetReleasesAsync("web")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Roles_ViewerReadsOperatorChangesAdminManages()
    {
        await using var server = await ServerFixture.StartAsync();
        await server.Client.CreateUserAsync(new CreateUserRequest("vera", [Roles.Viewer]));
        await server.Client.CreateUserAsync(new CreateUserRequest("otto", [Roles.Operator, "tech-lead"]));
        using var viewerHttp = Client(server, (await server.Client.CreateTokenAsync("vera", new CreateTokenRequest())).Token);
        using var operatorHttp = Client(server, (await server.Client.CreateTokenAsync("otto", new CreateTokenRequest(ExpiresIn: "1h"))).Token);
        var viewer = new RewindClient(viewerHttp);
        var op = new RewindClient(operatorHttp);

        (await viewer.GetComponentsAsync()).ShouldHaveSingleItem();
        var denied = await Should.ThrowAsync<RewindApiException>(() => viewer.RecordReleaseAsync("web", new RecordReleaseRequest("v1")));
        var recorded = await op.RecordReleaseAsync("web", new RecordReleaseRequest("v1", RecordedBy: "ci"));
        var noUsers = await Should.ThrowAsync<RewindApiException>(() => op.CreateUserAsync(new CreateUserRequest("eve", [Roles.Admin])));
        var notOthers = await Should.ThrowAsync<RewindApiException>(() => op.CreateTokenAsync("vera", new CreateTokenRequest()));
        var own = await op.CreateTokenAsync("otto", new CreateTokenRequest("second"));
        var me = await op.WhoAmIAsync();

        denied.Status.ShouldBe(403);
        denied.Message.ShouldContain("vera has viewer; this needs operator");
        recorded.RecordedBy.ShouldBe("otto (for ci)");
        noUsers.Status.ShouldBe(403);
        notOthers.Status.ShouldBe(403);
        own.Token.ShouldStartWith("rwt_");
        me.Name.ShouldBe("otto");
        me.Roles.ShouldBe([Roles.Operator, "tech-lead"]);
        (await op.GetTokensAsync()).ShouldAllBe(t => t.User == "otto");
        var audit = await server.Client.GetAuditAsync();
        audit.ShouldContain(e => e.Actor == "vera" && e.Result == "403" && e.Action == "POST /api/v1/components/{name}/releases");
        audit.ShouldContain(e => e.Actor == "otto" && e.Result == "201" && e.Action == "POST /api/v1/components/{name}/releases" && e.Detail.StartsWith("token tok_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisabledUser_TokensStopWorking()
    {
        await using var server = await ServerFixture.StartAsync();
        await server.Client.CreateUserAsync(new CreateUserRequest("dan", [Roles.Operator]));
        using var http = Client(server, (await server.Client.CreateTokenAsync("dan", new CreateTokenRequest())).Token);
        (await new RewindClient(http).GetComponentsAsync()).ShouldHaveSingleItem();

        await server.Client.DisableUserAsync("dan");
        var refused = await Should.ThrowAsync<RewindApiException>(() => new RewindClient(http).GetComponentsAsync());

        refused.Status.ShouldBe(401);
        refused.Message.ShouldContain("user dan is disabled");
    }

    [Theory]
    [InlineData("edit", "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", "entry 2 was edited")]
    [InlineData("delete", "DELETE FROM audit_log WHERE seq = 2", "entries 2..2 are missing (removed)")]
    [InlineData("reorder", "UPDATE audit_log SET seq = CASE seq WHEN 2 THEN 3 ELSE 2 END WHERE seq IN (2, 3)", "entry 2 does not follow the entry before it")]
    public async Task AuditVerify_Tampering_IsDetected(string how, string sql, string expected)
    {
        await using var server = await ServerFixture.StartAsync();
        foreach (var name in new[] { "u1", "u2", "u3", "u4" })
        {
            await server.Client.CreateUserAsync(new CreateUserRequest(name, [Roles.Viewer]));
        }

        (await server.Client.VerifyAuditAsync()).Intact.ShouldBeTrue();
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(server.Root, "rewind.db")}"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = how == "reorder" ? "UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3); UPDATE audit_log SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE seq IN (-2, -3)" : sql;
            (await command.ExecuteNonQueryAsync()).ShouldBeGreaterThan(0);
        }

        var verdict = await server.Client.VerifyAuditAsync();

        verdict.Intact.ShouldBeFalse();
        verdict.Problems.ShouldContain(p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    private static HttpClient Client(ServerFixture server, string token)
    {
        var http = new HttpClient { BaseAddress = server.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
