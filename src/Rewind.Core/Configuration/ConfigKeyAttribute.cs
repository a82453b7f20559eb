namespace Rewind.Core.Configuration;

/// <summary>Overrides the YAML key of a property; by default the key is the property name in kebab-case.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}
