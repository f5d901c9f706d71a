namespace Sustain.Data;

/// <summary>
/// A record that is written once and never changed or deleted (allocation snapshots, ledger
/// entries): <see cref="SustainDbContext"/> refuses to save an update or a delete of one.
/// Corrections are new records.
/// </summary>
public interface IAppendOnly;
