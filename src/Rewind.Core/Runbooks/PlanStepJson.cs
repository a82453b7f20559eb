using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Rewind.Core.Runbooks;

/// <summary>
/// Planned steps as stored in <c>rollback_steps.spec</c> and handed to agents: polymorphic JSON with a <c>kind</c> discriminator.
/// PostgreSQL's jsonb reorders keys, so the discriminator may come anywhere in the object. A URL is stored without its
/// password (<see cref="PlanStep.WithoutUrlPasswords"/>).
/// </summary>
public static class PlanStepJson
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        AllowOutOfOrderMetadataProperties = true,
        IgnoreReadOnlyProperties = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropKindProperty } },
    };

    public static string Serialize(PlanStep step) => JsonSerializer.Serialize(step.WithoutUrlPasswords(), s_options);

    public static PlanStep Deserialize(string json) =>
        JsonSerializer.Deserialize<PlanStep>(json, s_options)
        ?? throw new InvalidOperationException("stored plan step is null");

    /// <summary>
    /// <see cref="PlanStep.Kind"/> is the discriminator itself. Its <c>[JsonIgnore]</c> sits on the abstract property
    /// and is not seen on the overrides, which would then clash with the <c>kind</c> metadata property.
    /// </summary>
    private static void DropKindProperty(JsonTypeInfo typeInfo)
    {
        if (!typeof(PlanStep).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (typeInfo.Properties[i].AttributeProvider is System.Reflection.PropertyInfo { Name: nameof(PlanStep.Kind) })
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}
