using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Rewind.Core.Configuration;

/// <summary>
/// Binds a YAML node tree onto the config classes and keeps going after an error, so one run reports every unknown key
/// and wrong type with its line and column. YamlDotNet's deserializer stops at the first problem, hence this small binder.
/// </summary>
internal sealed class YamlBinder(string file, ConfigPositions positions)
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    public T BindRoot<T>(YamlNode node)
        where T : class, new()
    {
        var root = new T();
        positions.SetObject(root, node.Start);
        if (node is YamlMappingNode mapping)
        {
            BindObject(root, mapping, "");
        }
        else
        {
            Error(node.Start, IsNull(node) ? "the file has no settings; expected a mapping of keys such as components" : "expected a mapping of keys at the top of the file");
        }

        return root;
    }

    public static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigKeyAttribute>()?.Key ?? Kebab(property.Name);

    private void BindObject(object target, YamlMappingNode mapping, string path)
    {
        var properties = target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .ToDictionary(KeyOf, StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!properties.TryGetValue(key, out var property))
            {
                var where = path.Length == 0 ? "at the top level" : $"in {path}";
                Error(keyNode.Start, $"unknown key '{key}' {where}; expected one of: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}");
                continue;
            }

            positions.SetValue(target, key, valueNode.Start);
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (TryBind(valueNode, property.PropertyType, childPath, out var value))
            {
                property.SetValue(target, value);
            }
        }
    }

    private bool TryBind(YamlNode node, Type type, string path, out object? value)
    {
        value = null;
        var nullable = Nullable.GetUnderlyingType(type);
        if (IsNull(node))
        {
            // An empty value keeps the documented default; only a value type that must be given is an error.
            return type.IsValueType && nullable is null && Fail(node, $"{path}: expected {Describe(type)}, found nothing");
        }

        type = nullable ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return TryBindList(node, type, path, out value);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return TryBindDictionary(node, type, path, out value);
        }

        if (type.IsClass && type != typeof(string))
        {
            if (node is not YamlMappingNode mapping)
            {
                return Fail(node, $"{path}: expected a mapping of keys, found {Found(node)}");
            }

            var instance = Activator.CreateInstance(type)!;
            positions.SetObject(instance, node.Start);
            BindObject(instance, mapping, path);
            value = instance;
            return true;
        }

        if (node is not YamlScalarNode scalar)
        {
            return Fail(node, $"{path}: expected {Describe(type)}, found {Found(node)}");
        }

        value = ConvertScalar(scalar.Value ?? "", type);
        return value is not null || Fail(node, $"{path}: expected {Describe(type)}, found '{scalar.Value}'");
    }

    private bool TryBindList(YamlNode node, Type type, string path, out object? value)
    {
        value = null;
        if (node is not YamlSequenceNode sequence)
        {
            return Fail(node, $"{path}: expected a list, found {Found(node)}");
        }

        var itemType = type.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(type)!;
        var index = 0;
        foreach (var item in sequence.Children)
        {
            if (TryBind(item, itemType, $"{path}[{index}]", out var bound))
            {
                list.Add(bound);
            }

            index++;
        }

        value = list;
        return true;
    }

    private bool TryBindDictionary(YamlNode node, Type type, string path, out object? value)
    {
        value = null;
        if (node is not YamlMappingNode mapping)
        {
            return Fail(node, $"{path}: expected a mapping of names, found {Found(node)}");
        }

        var itemType = type.GetGenericArguments()[1];
        var dictionary = (IDictionary)Activator.CreateInstance(type, StringComparer.Ordinal)!;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (dictionary.Contains(key))
            {
                Error(keyNode.Start, $"{path}: '{key}' is defined twice");
                continue;
            }

            if (IsNull(valueNode) && itemType.IsClass && itemType != typeof(string))
            {
                Error(valueNode.Start, $"{path}.{key}: empty; expected a mapping of keys");
                continue;
            }

            if (TryBind(valueNode, itemType, $"{path}.{key}", out var bound) && bound is not null)
            {
                dictionary[key] = bound;
                positions.SetValue(dictionary, key, keyNode.Start);
            }
        }

        value = dictionary;
        return true;
    }

    private static object? ConvertScalar(string text, Type type)
    {
        if (type == typeof(string))
        {
            return text;
        }

        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;
        }

        if (type == typeof(double))
        {
            // "50%" is 0.5: fractions read the way operators write them; "6m" is 360: a limit on a signal in seconds.
            var percent = text.EndsWith('%');
            var number = percent ? text[..^1].TrimEnd() : text;
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (percent ? d / 100 : d)
                : Durations.TryParse(text, out var seconds) ? seconds.TotalSeconds : null;
        }

        if (type == typeof(bool))
        {
            return text switch { "true" => true, "false" => false, _ => null };
        }

        if (type == typeof(TimeSpan))
        {
            return Durations.TryParse(text, out var span) ? span : null;
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).Cast<object>()
                .FirstOrDefault(v => string.Equals(Kebab(v.ToString()!), text, StringComparison.OrdinalIgnoreCase));
        }

        throw new NotSupportedException($"config type {type} is not supported by the binder");
    }

    private static string Describe(Type type)
    {
        if (type == typeof(int))
        {
            return "a whole number";
        }

        if (type == typeof(TimeSpan))
        {
            return "a duration such as 500ms, 30s, 5m or 1h";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(double))
        {
            return "a number such as 0.05, 5% or (for seconds) 6m";
        }

        return type.IsEnum
            ? "one of " + string.Join(", ", Enum.GetNames(type).Select(Kebab))
            : "a " + type.Name.ToLowerInvariant();
    }

    private static string Found(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "something else",
    };

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };

    private static string Kebab(string name)
    {
        if (name.Length == 2 && name[0] == 'P' && char.IsDigit(name[1]))
        {
            return name;
        }

        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    private bool Fail(YamlNode node, string message)
    {
        Error(node.Start, message);
        return false;
    }

    private void Error(Mark mark, string message) => _errors.Add(new ConfigError(file, (int)mark.Line, (int)mark.Column, message));
}
