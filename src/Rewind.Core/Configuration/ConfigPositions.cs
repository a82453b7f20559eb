using YamlDotNet.Core;

namespace Rewind.Core.Configuration;

/// <summary>Where each bound value came from, so semantic errors can name a line and column too.</summary>
internal sealed class ConfigPositions
{
    private readonly Dictionary<object, Dictionary<string, Mark>> _marks = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, Mark> _objects = new(ReferenceEqualityComparer.Instance);

    public void SetObject(object instance, Mark mark) => _objects[instance] = mark;

    public void SetValue(object owner, string key, Mark mark)
    {
        if (!_marks.TryGetValue(owner, out var byKey))
        {
            byKey = new Dictionary<string, Mark>(StringComparer.Ordinal);
            _marks[owner] = byKey;
        }

        byKey[key] = mark;
    }

    /// <summary>The mark of the key's value if it was written, else of the object that should have held it.</summary>
    public Mark Of(object owner, string? key = null)
    {
        if (key is not null && _marks.TryGetValue(owner, out var byKey) && byKey.TryGetValue(key, out var mark))
        {
            return mark;
        }

        return _objects.TryGetValue(owner, out var objectMark) ? objectMark : new Mark(0, 1, 1);
    }
}
