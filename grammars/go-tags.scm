; Functions (generic ones included) and methods with pointer or value receivers.
(function_declaration
  name: (identifier) @name.definition.function
  body: (block)) @definition.function

(method_declaration
  name: (field_identifier) @name.definition.method
  body: (block)) @definition.method
