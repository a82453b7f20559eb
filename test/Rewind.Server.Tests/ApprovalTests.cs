using Rewind.Client;
using Rewind.Core.Access;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>
/// The authorisation matrix over HTTP on a real controller: refusals as 403 and 409, the approval that lets the executor
/// act. The rules themselves (denial, all-of, the decision clock) are tested on the engine in virtual time.
/// </summary>
public sealed class ApprovalTests
{
    private const string ManualRule = "approvals: [ { when: { policies: [manual] }, any-of: [approver], decide-within: 1h } ]";

    [Fact]
    public async Task ManualRollback_WaitsTouchingNothing_UntilSomeoneElseWithTheRoleApproves()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", extra: ManualRule);
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        var carol = await UserAsync(server, "carol", Roles.Approver);
        var vera = await UserAsync(server, "vera", Roles.Viewer);

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var selfApproval = await Should.ThrowAsync<RewindApiException>(() => server.Client.ApproveRollbackAsync(requested.Id));
        var viewerApproval = await Should.ThrowAsync<RewindApiException>(() => vera.Client.ApproveRollbackAsync(requested.Id));
        var second = await Should.ThrowAsync<RewindApiException>(() => server.Client.RequestRollbackAsync(new RollbackRequest("web", "again")));
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
        var approved = await carol.Client.ApproveRollbackAsync(requested.Id, "confirmed with the payments team");
        var again = await Should.ThrowAsync<RewindApiException>(() => carol.Client.ApproveRollbackAsync(requested.Id));

        requested.Status.ShouldBe("awaiting");
        selfApproval.Status.ShouldBe(403);
        selfApproval.Message.ShouldContain("alice asked for this rollback; the two-person rule needs someone else to approve it");
        viewerApproval.Status.ShouldBe(403);
        viewerApproval.Message.ShouldContain("vera has viewer; approving needs one of approver");
        second.Status.ShouldBe(409); // the waiting rollback holds the lease: no second actor
        approved.Status.ShouldNotBe("awaiting");
        again.Status.ShouldBe(409);
        await Eventually.WaitAsync(() => Task.FromResult(server.CurrentTarget.EndsWith(Path.Combine("releases", "v1"), StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "the switch to v1");
        var incident = await server.Client.GetIncidentAsync(requested.IncidentId!);
        incident.Timeline.ShouldContain(e => e.Message.Contains($"it waits for an approval by any of approver (approval rule 1, two-person): `rewind approve {requested.Id}`", StringComparison.Ordinal));
        incident.Timeline.ShouldContain(e => e.Message == $"{requested.Id} approved by carol (approver): confirmed with the payments team" && e.Actor == "carol");
        incident.Timeline.ShouldContain(e => e.Message.StartsWith($"{requested.Id} has every approval it needs (carol); it runs now", StringComparison.Ordinal));
    }

    private static async Task<(RewindClient Client, HttpClient Http)> UserAsync(ServerFixture server, string name, params string[] roles)
    {
        await server.Client.CreateUserAsync(new CreateUserRequest(name, roles));
        var token = await server.Client.CreateTokenAsync(name, new CreateTokenRequest());
        var http = new HttpClient { BaseAddress = server.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        return (new RewindClient(http), http);
    }
}

/// <summary>The approvers' second factor: enrolment by the owner, a current code once, nothing without it.</summary>
public sealed class SecondFactorTests
{
    [Fact]
    public async Task SecondFactorRule_NeedsAnEnrolledCurrentUnusedCode()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", extra: "approvals: [ { any-of: [approver], second-factor: true } ]");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        await server.Client.CreateUserAsync(new CreateUserRequest("carol", [Roles.Approver]));
        using var http = new HttpClient { BaseAddress = server.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (await server.Client.CreateTokenAsync("carol", new CreateTokenRequest())).Token);
        var carol = new RewindClient(http);
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));

        var notEnrolled = await Should.ThrowAsync<RewindApiException>(() => carol.ApproveRollbackAsync(requested.Id, null, "123456"));
        var forSomeoneElse = await Should.ThrowAsync<RewindApiException>(() => server.Client.EnrolTotpAsync("carol"));
        var enrolment = await carol.EnrolTotpAsync("carol");
        var noCode = await Should.ThrowAsync<RewindApiException>(() => carol.ApproveRollbackAsync(requested.Id));
        var wrong = await Should.ThrowAsync<RewindApiException>(() => carol.ApproveRollbackAsync(requested.Id, null, "000000"));
        var code = Totp.Code(Totp.FromBase32(enrolment.Secret)!, Totp.StepOf(TimeProvider.System.GetUtcNow()));
        var approved = await carol.ApproveRollbackAsync(requested.Id, "checked", code);

        notEnrolled.Message.ShouldContain("carol has none: enrol with `rewind user totp`");
        forSomeoneElse.Status.ShouldBe(403);
        enrolment.ProvisioningUri.ShouldStartWith("otpauth://totp/Rewind:carol?secret=");
        noCode.Message.ShouldContain("pass the code from your authenticator");
        wrong.Message.ShouldContain("the second-factor code is wrong, expired or already used");
        approved.Status.ShouldNotBe("awaiting");

        // The code's time step is spent: the same code cannot approve anything else.
        var used = (await server.Store.GetTotpAsync("carol"))!.Value.LastStep!.Value;
        Totp.Verify(enrolment.Secret, code, TimeProvider.System.GetUtcNow(), used).ShouldBeNull();
        (await server.Store.UseTotpStepAsync("carol", used)).ShouldBeFalse();
    }
}
