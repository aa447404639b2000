; Methods, abstract and interface ones too (a declaration without a body holds the API's doc: jackson-core's
; `JsonParser.nextToken`), constructors, and records' compact constructors.
(method_declaration
  name: (identifier) @name.definition.method) @definition.method

(constructor_declaration
  name: (identifier) @name.definition.constructor) @definition.constructor

(compact_constructor_declaration
  name: (identifier) @name.definition.constructor) @definition.constructor
