namespace Rewind.Engine.Hosting;

/// <summary>
/// Told when the engine has changed what a reader sees (an incident opened, a decision taken), so that followers (the
/// dashboard) read the store now rather than at their next poll.
/// </summary>
internal interface IChangeNotice
{
    void Poke();
}

/// <summary>The notice where nothing follows the engine's changes.</summary>
internal sealed class NoChangeNotice : IChangeNotice
{
    public void Poke()
    {
    }
}
