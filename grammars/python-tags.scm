; Functions, async functions, methods and nested functions. Whether a function is a method
; (its nearest scope is a class) is decided in code; decorators are added to the span in code.
(function_definition
  name: (identifier) @name.definition.function) @definition.function
