using Rewind.Client;
using Rewind.Core.Access;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>The authorisation matrix on a real controller: waiting, the two-person rule, roles, denial and the decision clock.</summary>
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
        await Eventually.WaitAsync(() => Task.FromResult(server.CurrentTarget.EndsWith(Path.Combine("releases", "v1"), StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the switch to v1");
        var incident = await server.Client.GetIncidentAsync(requested.IncidentId!);
        incident.Timeline.ShouldContain(e => e.Message.Contains($"it waits for an approval by any of approver (approval rule 1, two-person): `rewind approve {requested.Id}`", StringComparison.Ordinal));
        incident.Timeline.ShouldContain(e => e.Message == $"{requested.Id} approved by carol (approver): confirmed with the payments team" && e.Actor == "carol");
        incident.Timeline.ShouldContain(e => e.Message.StartsWith($"{requested.Id} has every approval it needs (carol); it runs now", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deny_CancelsTouchingNothingAndFreesTheLease()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", extra: ManualRule);
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        var carol = await UserAsync(server, "carol", Roles.Approver);

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        var denied = await carol.Client.DenyRollbackAsync(requested.Id, "the errors are from the card network, not us");
        var next = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "second try"));

        denied.Status.ShouldBe("cancelled");
        denied.Error.ShouldBe("denied by carol: the errors are from the card network, not us");
        next.Status.ShouldBe("awaiting");
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task AllOf_TwoDifferentPeople_ThenItRuns()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", extra: "approvals: [ { all-of: [tech-lead, devops-lead] } ]");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        var tina = await UserAsync(server, "tina", "tech-lead", "devops-lead");
        var dora = await UserAsync(server, "dora", "devops-lead");

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "bad deploy"));
        var afterTina = await tina.Client.ApproveRollbackAsync(requested.Id);
        var afterDora = await dora.Client.ApproveRollbackAsync(requested.Id);

        afterTina.Status.ShouldBe("awaiting");
        afterDora.Status.ShouldNotBe("awaiting");
    }

    [Fact]
    public async Task DecisionTimeout_AutoPolicyProceeds()
    {
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            policies: "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P1, mode: auto } }",
            extra: "approvals: [ { when: { severity: [P0, P1] }, any-of: [approver], decide-within: 1s, on-timeout: proceed } ]");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var incident = await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] && await server.Client.GetIncidentAsync(i.Id) is { } full && full.Timeline.Any(e => e.Message.Contains("no decision within 1s; proceeding", StringComparison.Ordinal)) ? full : null,
            TimeSpan.FromSeconds(15),
            "the rollback to proceed after the decision time");

        incident.Timeline.ShouldContain(e => e.Message.Contains("then it proceeds", StringComparison.Ordinal));
        await Eventually.WaitAsync(() => Task.FromResult(server.CurrentTarget.EndsWith(Path.Combine("releases", "v1"), StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the switch to v1");
    }

    [Fact]
    public async Task DecisionTimeout_ManualRequestEscalatesOnceAndKeepsWaiting()
    {
        await using var server = await ServerFixture.StartAsync(restart: "[\"true\"]", extra: "approvals: [ { any-of: [approver], decide-within: 1s, on-timeout: proceed } ]");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        await Eventually.WaitAsync(
            async () => (await server.Client.GetIncidentAsync(requested.IncidentId!)).Timeline.Any(e => e.Kind == "escalation"),
            TimeSpan.FromSeconds(10),
            "the escalation");
        await Task.Delay(2500); // more ticks of the decision clock

        var incident = await server.Client.GetIncidentAsync(requested.IncidentId!);
        incident.Timeline.Count(e => e.Kind == "escalation").ShouldBe(1);
        incident.Timeline.ShouldContain(e => e.Message.Contains($"{requested.Id}: no decision within 1s; still waiting for an approval by any of approver; a human must decide", StringComparison.Ordinal));
        (await server.Client.GetRollbackAsync(requested.Id)).Status.ShouldBe("awaiting"); // a manual request never proceeds unapproved
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
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
        var code = Totp.Code(Totp.FromBase32(enrolment.Secret)!, Totp.StepOf(DateTimeOffset.UtcNow));
        var approved = await carol.ApproveRollbackAsync(requested.Id, "checked", code);

        notEnrolled.Message.ShouldContain("carol has none: enrol with `rewind user totp`");
        forSomeoneElse.Status.ShouldBe(403);
        enrolment.ProvisioningUri.ShouldStartWith("otpauth://totp/Rewind:carol?secret=");
        noCode.Message.ShouldContain("pass the code from your authenticator");
        wrong.Message.ShouldContain("the second-factor code is wrong, expired or already used");
        approved.Status.ShouldNotBe("awaiting");

        // The code's time step is spent: the same code cannot approve anything else.
        var used = (await server.Store.GetTotpAsync("carol"))!.Value.LastStep!.Value;
        Totp.Verify(enrolment.Secret, code, DateTimeOffset.UtcNow, used).ShouldBeNull();
        (await server.Store.UseTotpStepAsync("carol", used)).ShouldBeFalse();
    }
}
