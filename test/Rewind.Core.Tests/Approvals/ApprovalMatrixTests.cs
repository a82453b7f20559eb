using Rewind.Core.Access;
using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;

namespace Rewind.Core.Tests.Approvals;

/// <summary>Every role and matrix combination: any-of, all-of, both, the two-person rule, admins, denials.</summary>
public sealed class ApprovalMatrixTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("carol", "approver", true, null)]
    [InlineData("dave", "admin", true, null)]
    [InlineData("erin", "tech-lead", true, null)]
    [InlineData("vera", "viewer", false, "vera has viewer; approving needs one of approver, tech-lead")]
    [InlineData("otto", "operator", false, "otto has operator; approving needs one of approver, tech-lead")]
    [InlineData("alice", "approver", false, "alice asked for this rollback; the two-person rule needs someone else to approve it")]
    public void AnyOf_WhoCountsAndWhoIsRefused(string approver, string role, bool satisfies, string? refusal)
    {
        var rule = new ApprovalRuleConfig { AnyOf = [Roles.Approver, "tech-lead"] };

        ApprovalMatrix.Refusal(rule, "alice", approver, [role]).ShouldBe(refusal);
        ApprovalMatrix.Evaluate(rule, "alice", [Yes(approver, role)]).Satisfied.ShouldBe(satisfies);
    }

    [Fact]
    public void TwoPersonOff_TheRequesterMayApproveThemselves()
    {
        var rule = new ApprovalRuleConfig { AnyOf = [Roles.Approver], TwoPerson = false };

        ApprovalMatrix.Refusal(rule, "alice", "alice", [Roles.Approver]).ShouldBeNull();
        ApprovalMatrix.Evaluate(rule, "alice", [Yes("alice", Roles.Approver)]).Satisfied.ShouldBeTrue();
    }

    [Fact]
    public void AllOf_NeedsADifferentPersonForEachRole()
    {
        var rule = new ApprovalRuleConfig { AllOf = ["tech-lead", "devops-lead"] };

        var one = ApprovalMatrix.Evaluate(rule, "alice", [Yes("tina", "tech-lead", "devops-lead")]);
        var two = ApprovalMatrix.Evaluate(rule, "alice", [Yes("tina", "tech-lead", "devops-lead"), Yes("dora", "devops-lead")]);
        var onlyLead = ApprovalMatrix.Evaluate(rule, "alice", [Yes("tina", "tech-lead")]);

        one.Satisfied.ShouldBeFalse(); // one person holding both roles is still one person
        two.Satisfied.ShouldBeTrue(); // tina as tech-lead, dora as devops-lead
        onlyLead.Missing.ShouldBe("approvals by different people holding devops-lead");
    }

    [Fact]
    public void AnyOfAndAllOf_BothMustHold()
    {
        var rule = new ApprovalRuleConfig { AnyOf = [Roles.Approver], AllOf = ["tech-lead"] };

        ApprovalMatrix.Evaluate(rule, "alice", [Yes("carol", Roles.Approver)]).Missing.ShouldBe("approvals by different people holding tech-lead");
        ApprovalMatrix.Evaluate(rule, "alice", [Yes("tina", "tech-lead")]).Missing.ShouldBe("an approval by any of approver");
        ApprovalMatrix.Evaluate(rule, "alice", [Yes("carol", Roles.Approver), Yes("tina", "tech-lead")]).Satisfied.ShouldBeTrue();
    }

    [Fact]
    public void RequesterApprovalAndDenials_DoNotCount()
    {
        var rule = new ApprovalRuleConfig { AnyOf = [Roles.Approver] };

        ApprovalMatrix.Evaluate(rule, "alice", [Yes("alice", Roles.Approver)]).Satisfied.ShouldBeFalse();
        ApprovalMatrix.Evaluate(rule, "alice", [new Approval("RB-1", "carol", [Roles.Approver], Approved: false, T0, "no")]).Satisfied.ShouldBeFalse();
        ApprovalMatrix.Evaluate(new ApprovalRuleConfig(), "alice", [Yes("bob", Roles.Viewer)]).Satisfied.ShouldBeTrue(); // a rule naming no role needs one other person
    }

    [Fact]
    public void RuleFor_FirstMatchingRuleBySeverityPolicyAndComponent()
    {
        var rules = new List<ApprovalRuleConfig>
        {
            new() { When = new MatchConfig { Severity = [Severity.P0], Components = ["payments"] }, AnyOf = ["devops-lead"] },
            new() { When = new MatchConfig { Policies = [ApprovalMatrix.Manual] }, AnyOf = [Roles.Approver] },
            new() { When = new MatchConfig { Policies = ["latency"] }, AnyOf = ["tech-lead"] },
        };

        ApprovalMatrix.RuleFor(rules, "payments", Severity.P0, "policy:errors")!.Value.Index.ShouldBe(0);
        ApprovalMatrix.RuleFor(rules, "web", Severity.P0, "alice")!.Value.Index.ShouldBe(1);
        ApprovalMatrix.RuleFor(rules, "web", Severity.P1, "policy:latency")!.Value.Index.ShouldBe(2);
        ApprovalMatrix.RuleFor(rules, "web", Severity.P1, "policy:errors").ShouldBeNull();
    }

    private static Approval Yes(string approver, params string[] roles) => new("RB-1", approver, roles, Approved: true, T0, "");
}
