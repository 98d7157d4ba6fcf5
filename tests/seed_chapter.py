"""The seed chapter's original code, copied verbatim as the reference for scratchnet.

Source: the chapter "Neural Networks from Scratch" (shared/seed/000_78667bd72b2db77a.txt).
The class cells are copied exactly as written. The changes are:

* the setup cell (``np.random.seed(42)``) and the XOR training cell are wrapped in
  ``run_seed()``, which returns ``(losses, predictions, network)``, so that
  importing this module neither seeds nor trains;
* the plotting cell and the final-prediction prints are removed, and with them
  ``import matplotlib.pyplot as plt``. ``predictions = network.forward(X)``
  from that cell is kept, because ``run_seed()`` returns it;
* the training loop's own ``print(f"Epoch {epoch}, Loss: {loss:.4f}")`` stays
  exactly as written: the tests capture it and use it as the reference output.

``run_seed()`` seeds NumPy's *global* random state, as the chapter does. Callers
must save and restore ``np.random.get_state()`` around it.

This is not a test module (pytest does not collect it): tests/test_faithful_port.py
loads it.
"""

# Import required libraries
import numpy as np
from typing import List, Tuple, Optional


class Activation:
    """Base class for activation functions"""
    
    @staticmethod
    def forward(x: np.ndarray) -> np.ndarray:
        raise NotImplementedError
        
    @staticmethod
    def backward(x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

class ReLU(Activation):
    """Rectified Linear Unit activation function"""
    
    @staticmethod
    def forward(x: np.ndarray) -> np.ndarray:
        return np.maximum(0, x)
    
    @staticmethod
    def backward(x: np.ndarray) -> np.ndarray:
        return np.where(x > 0, 1, 0)

class Sigmoid(Activation):
    """Sigmoid activation function"""
    
    @staticmethod
    def forward(x: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-x))
    
    @staticmethod
    def backward(x: np.ndarray) -> np.ndarray:
        s = Sigmoid.forward(x)
        return s * (1 - s)


class Layer:
    """Neural network layer implementation"""
    
    def __init__(self, input_size: int, output_size: int, activation: Activation):
        self.weights = np.random.randn(input_size, output_size) * 0.01
        self.bias = np.zeros((1, output_size))
        self.activation = activation
        
        # Cache for backpropagation
        self.input = None
        self.output = None
        self.activation_input = None
        
    def forward(self, x: np.ndarray) -> np.ndarray:
        """Forward pass through the layer"""
        self.input = x
        self.activation_input = x @ self.weights + self.bias
        self.output = self.activation.forward(self.activation_input)
        return self.output
    
    def backward(self, grad_output: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Backward pass through the layer"""
        # Gradient of activation
        grad_activation = grad_output * self.activation.backward(self.activation_input)
        
        # Gradients of weights and bias
        grad_weights = self.input.T @ grad_activation
        grad_bias = np.sum(grad_activation, axis=0, keepdims=True)
        
        # Gradient for next layer
        grad_input = grad_activation @ self.weights.T
        
        return grad_input, grad_weights, grad_bias


class NeuralNetwork:
    """Simple neural network implementation"""
    
    def __init__(self, layer_sizes: List[int], activations: List[Activation]):
        assert len(layer_sizes) >= 2, "Need at least input and output layers"
        assert len(layer_sizes) - 1 == len(activations), "Need activation for each layer except input"
        
        self.layers = []
        for i in range(len(layer_sizes) - 1):
            layer = Layer(layer_sizes[i], layer_sizes[i + 1], activations[i])
            self.layers.append(layer)
    
    def forward(self, x: np.ndarray) -> np.ndarray:
        """Forward pass through the network"""
        current_input = x
        for layer in self.layers:
            current_input = layer.forward(current_input)
        return current_input
    
    def backward(self, grad_output: np.ndarray, learning_rate: float = 0.01):
        """Backward pass through the network"""
        current_gradient = grad_output
        for layer in reversed(self.layers):
            grad_input, grad_weights, grad_bias = layer.backward(current_gradient)
            # Update weights and biases
            layer.weights -= learning_rate * grad_weights
            layer.bias -= learning_rate * grad_bias
            current_gradient = grad_input


def run_seed():
    # Set random seed for reproducibility
    np.random.seed(42)

    # Generate a simple dataset: XOR problem
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = np.array([[0], [1], [1], [0]])

    # Create a neural network with one hidden layer
    network = NeuralNetwork(
        layer_sizes=[2, 4, 1],  # Input layer: 2, Hidden layer: 4, Output layer: 1
        activations=[ReLU(), Sigmoid()]  # ReLU for hidden layer, Sigmoid for output
    )

    # Training loop
    epochs = 10000
    learning_rate = 0.1
    losses = []

    for epoch in range(epochs):
        # Forward pass
        output = network.forward(X)
        
        # Compute loss (binary cross-entropy)
        loss = -np.mean(y * np.log(output + 1e-15) + (1 - y) * np.log(1 - output + 1e-15))
        losses.append(loss)
        
        # Compute gradient of loss with respect to output
        grad_output = -(y / (output + 1e-15) - (1 - y) / (1 - output + 1e-15)) / len(X)
        
        # Backward pass
        network.backward(grad_output, learning_rate)
        
        # Print progress every 1000 epochs
        if epoch % 1000 == 0:
            print(f"Epoch {epoch}, Loss: {loss:.4f}")

    # Test the network
    predictions = network.forward(X)

    return losses, predictions, network
