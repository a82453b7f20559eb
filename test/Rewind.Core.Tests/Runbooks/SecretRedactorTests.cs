using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Runbooks;

public sealed class SecretRedactorTests
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["DEPLOY_TOKEN"] = "s3cr3t-t0ken",
        ["HOOK_TOKEN"] = "h00k-value",
        ["BATCH_KEY"] = "b4tch-key",
        ["LIST_KEY"] = "l1st-key",
        ["SHORT"] = "abc",
    };

    [Fact]
    public void Redact_EveryOccurrence_IsReplacedByTheSecretsName()
    {
        var secrets = new SecretRedactor(Environment);

        var text = secrets.Redact("token s3cr3t-t0ken\nagain:s3cr3t-t0ken; hook h00k-value");

        text.ShouldBe("token [secret DEPLOY_TOKEN]\nagain:[secret DEPLOY_TOKEN]; hook [secret HOOK_TOKEN]");
    }

    [Fact]
    public void Redact_ASecretInsideAnother_TheLongerIsReplacedWhole()
    {
        var secrets = new SecretRedactor([KeyValuePair.Create("INNER", "pass"), KeyValuePair.Create("OUTER", "password-1")]);

        secrets.Redact("password-1 and pass").ShouldBe("[secret OUTER] and [secret INNER]");
    }

    [Fact]
    public void Redact_AValueShorterThanFourCharacters_IsLeftAlone()
    {
        var secrets = new SecretRedactor(Environment);

        secrets.Redact("abc: exit 0").ShouldBe("abc: exit 0");
        SecretRedactor.MinimumLength.ShouldBe(4);
    }

    [Fact]
    public void Redact_NoSecret_ReturnsTheSameText()
    {
        const string text = "exit 0 in 12ms";

        SecretRedactor.None.Redact(text).ShouldBeSameAs(text);
        new SecretRedactor(Environment).Redact(text).ShouldBeSameAs(text);
    }

    [Fact]
    public void For_Steps_TakesTheSecretsOfArgvEnvironmentHeadersBodiesAndMemberLists_SkippingUnsetOnes()
    {
        PlanStep[] steps =
        [
            new CommandStep(["/bin/echo", "{{secret.DEPLOY_TOKEN}}"], new Dictionary<string, string>(StringComparer.Ordinal) { ["T"] = "x-{{secret.UNSET}}" }, "/", TimeSpan.FromSeconds(1), [0]),
            new ParallelStep([new HttpStep("POST", "https://hooks.example/on", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer {{secret.HOOK_TOKEN}}" }, "{}", [], TimeSpan.FromSeconds(1))]),
            new BatchStep(new BatchMembers(null, null, ["./list", "{{secret.LIST_KEY}}"]), ["./roll", "{{member}}"], new Dictionary<string, string>(StringComparer.Ordinal) { ["KEY"] = "{{secret.BATCH_KEY}}" }, "/", 10, 2, TimeSpan.Zero, null, 0, TimeSpan.FromSeconds(1), [], 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), [0]),
        ];

        var secrets = SecretRedactor.For(steps, name => Environment.GetValueOrDefault(name));

        secrets.Redact("s3cr3t-t0ken h00k-value b4tch-key l1st-key").ShouldBe("[secret DEPLOY_TOKEN] [secret HOOK_TOKEN] [secret BATCH_KEY] [secret LIST_KEY]");
    }
}
