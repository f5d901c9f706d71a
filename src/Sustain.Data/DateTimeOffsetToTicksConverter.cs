using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Sustain.Data;

/// <summary>Instants as UTC ticks: sortable and comparable in SQLite and PostgreSQL alike.</summary>
public sealed class DateTimeOffsetToTicksConverter()
    : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
