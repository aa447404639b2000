; Functions, and methods in classes, traits, enums and interfaces (an interface's or abstract
; method, without a body, is found by its name and doc only: units._declared_only).
(function_definition
  name: (name) @name.definition.function
  body: (compound_statement)) @definition.function

(method_declaration
  name: (name) @name.definition.method) @definition.method
