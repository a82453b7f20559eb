using Rewind.Core.Configuration;

namespace Rewind.Server.Hosting;

/// <summary>The config in force. Swapped whole, never edited in place, so a reader always sees one consistent config.</summary>
internal sealed class ConfigHolder(RewindConfig config)
{
    private volatile RewindConfig _current = config;

    public RewindConfig Current => _current;

    public ComponentConfig? Component(string name) => _current.Components.GetValueOrDefault(name);

    public void Replace(RewindConfig config) => _current = config;
}
