using System.Runtime.CompilerServices;

// Hot paths stackalloc small scratch buffers that are always written before they are read;
// zeroing them first is wasted work.
[module: SkipLocalsInit]
