namespace CretoAI.Fast.Node.Settings;

/// <summary>How a setting is spelled in the config file, an environment variable and <c>--set</c>.</summary>
internal enum SettingKind
{
    /// <summary>A JSON string; the text as is.</summary>
    Text = 0,

    /// <summary>A JSON string; relative paths are resolved against the config file's directory.</summary>
    Path = 1,

    /// <summary>A JSON integer; decimal digits elsewhere.</summary>
    Integer = 2,

    /// <summary>JSON true/false; true/false, yes/no, on/off, 1/0 elsewhere.</summary>
    Boolean = 3,

    /// <summary>A JSON array of strings; comma-separated elsewhere (empty text: empty list). Replaces the whole list.</summary>
    TextList = 4,

    /// <summary>A log level name: Trace, Debug, Information, Warning, Error, Critical, None.</summary>
    LogLevel = 5,
}
