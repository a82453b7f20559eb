using Rewind.Core.Configuration;

namespace Rewind.Engine.Hosting;

/// <summary>The config in force for this controller process, loaded and validated at start.</summary>
internal sealed class ConfigHolder(RewindConfig config)
{
    public RewindConfig Current { get; } = config;

    public ComponentConfig? Component(string name) => Current.Components.GetValueOrDefault(name);
}
