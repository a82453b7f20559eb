namespace Rewind.Runtime.Backups;

/// <summary>Tables of a dump restored into the live database under a new schema, never over the live tables.</summary>
/// <param name="Url">The cluster's <c>postgres://</c> URL (the provider's); its role needs <c>CREATEDB</c> (for a scratch database) and <c>CREATE</c> on the live database.</param>
/// <param name="Database">The dumped database the tables come from, restored into the live database of that name.</param>
/// <param name="Tables">Table names, each <c>name</c> or <c>schema.name</c>.</param>
public sealed record TableRestoreRequest(string Url, string Database, IReadOnlyList<string> Tables)
{
    /// <summary>The dump set. Default: the newest one holding <see cref="Database"/>.</summary>
    public string? SetId { get; init; }

    /// <summary>The new schema the tables are created in; must not exist. Default <c>rewind_restore_&lt;set id&gt;</c>.</summary>
    public string? Schema { get; init; }
}

/// <summary>A whole dumped database restored into a new database of the same cluster.</summary>
/// <param name="Url">The cluster's <c>postgres://</c> URL; its role needs <c>CREATEDB</c>, and the roles owning the dumped objects must exist.</param>
/// <param name="Database">The dumped database.</param>
/// <param name="Into">The new database's name; refused when a database of that name exists.</param>
public sealed record DatabaseRestoreRequest(string Url, string Database, string Into)
{
    /// <summary>The dump set. Default: the newest one holding <see cref="Database"/>.</summary>
    public string? SetId { get; init; }
}

/// <summary>One table a restore created: where it came from, where it is now, and how many rows it holds.</summary>
public sealed record RestoredTable(string Source, string Target, long Rows);

/// <summary>What a dump restore did. Nothing live is changed when it failed.</summary>
public sealed record DumpRestoreResult(bool Succeeded, string Message)
{
    /// <summary>The dump set restored from, when one was chosen.</summary>
    public string? SetId { get; init; }

    public IReadOnlyList<RestoredTable> Tables { get; init; } = [];

    public TimeSpan Duration { get; init; }
}
