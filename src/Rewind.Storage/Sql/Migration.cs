using System.Globalization;
using System.Reflection;

namespace Rewind.Storage.Sql;

/// <summary>One shipped SQL script, <c>Migrations/&lt;Dialect&gt;/NNNN_name.sql</c>, applied once in version order.</summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    public static IReadOnlyList<Migration> Load(string folder)
    {
        var assembly = typeof(Migration).Assembly;
        var prefix = $"Migrations/{folder}/";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = name[prefix.Length..];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"migration {name} is not named NNNN_name.sql");
            }

            migrations.Add(new Migration(version, file, Read(assembly, resource)));
        }

        if (migrations.Count == 0)
        {
            throw new InvalidOperationException($"no migrations are embedded under {prefix}");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"migration {resource} cannot be read");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
