using System.Buffers;
using System.Text;
using Sustain.Core.Purls;

namespace Sustain.Core.Sboms;

/// <summary>
/// What the components of one document keep beyond their record: their text in a <see cref="Utf8TextStore"/>, their
/// hashes and external references as entries of a kind and a place, and by number the values many of them share
/// (component types, hash algorithms, link types, licence lists) and the package URLs that had to be parsed while
/// reading. A model of fifty thousand components then holds a handful of objects rather than a quarter of a million,
/// so the garbage collector has next to nothing of it to trace or copy while the document is read.
/// <see cref="SbomComponent.Hashes"/> and <see cref="SbomComponent.ExternalReferences"/> are built from here when they
/// are asked for. Per document; written only while the document is read.
/// </summary>
internal sealed class SbomComponentDetails
{
    /// <summary>SHA-512 and the like: 128 digits, 64 bytes. Longer content is kept as written.</summary>
    private const int MaxBinaryHashDigits = 128;

    /// <summary>A hash entry's kind keeps its <see cref="HashForm"/> in the bits above this; no document has 2^28 algorithms.</summary>
    private const int HashFormShift = 28;

    private static readonly SearchValues<byte> LowerHexDigits = SearchValues.Create("0123456789abcdef"u8);

    private static readonly SearchValues<byte> UpperHexDigits = SearchValues.Create("0123456789ABCDEF"u8);

    private readonly Utf8TextStore _text = new();
    private readonly PagedList<Entry> _hashes = new();
    private readonly PagedList<Entry> _references = new();
    private readonly List<string> _values = [];
    private readonly Dictionary<string, int> _valueNumbers = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyList<string>> _licenseLists = [[]];
    private readonly Dictionary<string, int> _singleLicenses = new(StringComparer.Ordinal);
    private readonly List<Purl> _purls = [];
    private string? _lastLicense;
    private int _lastLicenseNumber;

    public int HashCount => _hashes.Count;

    public int ReferenceCount => _references.Count;

    public void AddHash(string algorithm, ReadOnlySpan<char> content)
    {
        Span<byte> utf8 = stackalloc byte[MaxBinaryHashDigits];
        if (content.Length <= utf8.Length && Ascii.FromUtf16(content, utf8, out var written) == OperationStatus.Done)
            AddHash(algorithm, utf8[..written]);
        else
            _hashes.Add(new Entry(Value(algorithm), _text.Add(content)));
    }

    /// <summary>
    /// A hash's content, as a JSON reader has it. Hexadecimal digits all of one case, as nearly every hash is written,
    /// are kept as the bytes they spell, half the size, and spelt again in that case when asked for; anything else as written.
    /// </summary>
    public void AddHash(string algorithm, ReadOnlySpan<byte> utf8Content)
    {
        var form = utf8Content.Length % 2 != 0 || utf8Content.Length > MaxBinaryHashDigits ? HashForm.Text
            : !utf8Content.ContainsAnyExcept(LowerHexDigits) ? HashForm.LowerHex
            : !utf8Content.ContainsAnyExcept(UpperHexDigits) ? HashForm.UpperHex
            : HashForm.Text;
        if (form == HashForm.Text)
        {
            _hashes.Add(new Entry(Value(algorithm), _text.Add(utf8Content)));
            return;
        }

        Span<byte> bytes = stackalloc byte[MaxBinaryHashDigits / 2];
        Convert.FromHexString(utf8Content, bytes, out _, out var written);
        _hashes.Add(new Entry(Value(algorithm) | ((int)form << HashFormShift), _text.Add(bytes[..written])));
    }

    public void AddReference(string type, ReadOnlySpan<char> url) => AddReference(type, _text.Add(url));

    public void AddReference(string type, PackedText url) => _references.Add(new Entry(Value(type), url));

    /// <summary>Keeps text a component needs (its name, package URL) beside its hashes, so it costs no string until it is asked for.</summary>
    public PackedText AddText(ReadOnlySpan<char> text) => _text.Add(text);

    /// <summary>As <see cref="AddText(ReadOnlySpan{char})"/>, with text that is UTF-8 already: copied, never decoded.</summary>
    public PackedText AddText(ReadOnlySpan<byte> utf8) => _text.Add(utf8);

    public PackedText Keep(string? text) => text is null ? PackedText.None : AddText(text);

    /// <summary>The number of a short value that nearly every component or entry repeats (a component type, a hash algorithm, a link type); -1 for null.</summary>
    public int Value(string? value)
    {
        if (value is null)
            return -1;

        // Readers pass the same few string instances (the schema's types, algorithms and link types) over and over.
        for (var i = 0; i < _values.Count && i < 16; i++)
        {
            if (ReferenceEquals(_values[i], value))
                return i;
        }

        if (!_valueNumbers.TryGetValue(value, out var number))
        {
            number = _values.Count;
            _values.Add(value);
            _valueNumbers.Add(value, number);
        }

        return number;
    }

    public string? ValueAt(int number) => number < 0 ? null : _values[number];

    /// <summary>
    /// The number of a component's licences; 0 for none. Most components name one licence, and most of those the same
    /// few, so a single licence is one list that all of them share.
    /// </summary>
    public int Licenses(IReadOnlyList<string>? licenses)
    {
        if (licenses is null || licenses.Count == 0)
            return 0;
        if (licenses.Count == 1 && ReferenceEquals(licenses[0], _lastLicense))
            return _lastLicenseNumber;
        if (licenses.Count == 1 && _singleLicenses.TryGetValue(licenses[0], out var shared))
        {
            (_lastLicense, _lastLicenseNumber) = (licenses[0], shared);
            return shared;
        }

        var number = _licenseLists.Count;
        _licenseLists.Add([.. licenses]);
        if (licenses.Count == 1 && _singleLicenses.Count < 1024)
            _singleLicenses.Add(licenses[0], number);
        return number;
    }

    public IReadOnlyList<string> LicensesAt(int number) => _licenseLists[number];

    /// <summary>Keeps a package URL that had to be parsed while reading, for the component to have when it is made.</summary>
    public int AddPurl(Purl purl)
    {
        _purls.Add(purl);
        return _purls.Count - 1;
    }

    public Purl PurlAt(int number) => _purls[number];

    /// <summary>The text as it is kept: UTF-8, half the size of .NET's UTF-16 for the ASCII that SBOMs are nearly all made of.</summary>
    public ReadOnlySpan<byte> Utf8(PackedText text) => _text.Utf8(text);

    public string? Text(PackedText text) => _text.Text(text);

    public SbomHash[] Hashes(int start, int count)
    {
        var hashes = new SbomHash[count];
        for (var i = 0; i < count; i++)
        {
            var entry = _hashes[start + i];
            var value = (HashForm)(entry.Kind >>> HashFormShift) switch
            {
                HashForm.LowerHex => Convert.ToHexStringLower(_text.Utf8(entry.Text)),
                HashForm.UpperHex => Convert.ToHexString(_text.Utf8(entry.Text)),
                _ => Text(entry.Text)!,
            };
            hashes[i] = new SbomHash(ValueAt(entry.Kind & ((1 << HashFormShift) - 1))!, value);
        }

        return hashes;
    }

    public ExternalReference[] References(int start, int count)
    {
        var references = new ExternalReference[count];
        for (var i = 0; i < count; i++)
        {
            var entry = _references[start + i];
            references[i] = new ExternalReference(ValueAt(entry.Kind)!, Text(entry.Text)!);
        }

        return references;
    }

    /// <summary>How a hash's content is kept: as written, or as the bytes its digits spell in one case or the other.</summary>
    private enum HashForm
    {
        Text,
        LowerHex,
        UpperHex,
    }

    /// <summary>A hash or reference: its algorithm or type (see <see cref="Value"/>; for a hash, with its <see cref="HashForm"/> above <see cref="HashFormShift"/>) and its text.</summary>
    private readonly record struct Entry(int Kind, PackedText Text);
}
